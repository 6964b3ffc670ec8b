"""``shop events tail`` against moto: what it prints, what its filters let through, and that
its rule and queue are gone when it stops."""

from __future__ import annotations

import copy
import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local.events_command import sample
from local.tail import Listener, TailFilter, line, run
from tests.support.polling import wait_until

BUS = "shop"
REGION = "us-east-1"


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        events = boto3.client("events", region_name=REGION)
        sqs = boto3.client("sqs", region_name=REGION)
        events.create_event_bus(Name=BUS)
        yield events, sqs


def publish(events: Any, detail_type: str, order_id: str) -> dict[str, Any]:
    event = copy.deepcopy(sample(detail_type))
    detail: dict[str, Any] = event["detail"]
    detail["metadata"]["correlation_id"] = detail["data"]["order_id"] = order_id
    detail["metadata"]["event_id"] = str(uuid.uuid4())
    events.put_events(
        Entries=[
            {
                "EventBusName": BUS,
                "Source": event["source"],
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
            }
        ]
    )
    return detail


class Tail:
    """``run`` in a thread, as the command runs it until Ctrl-C."""

    def __init__(self, clients: tuple[Any, Any], tail_filter: TailFilter, *, as_json: bool):
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.listener: Listener | None = None
        events, sqs = clients

        def on_ready(listener: Listener) -> None:
            self.listener = listener
            self.ready.set()

        self.thread = threading.Thread(
            target=run,
            args=(events, sqs, BUS, tail_filter, self.lines.append),
            kwargs={"as_json": as_json, "stop": self.stop, "on_ready": on_ready},
        )

    def __enter__(self) -> Tail:
        self.thread.start()
        assert self.ready.wait(10), "the tail never started"
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(10)


def test_tail_prints_type_order_and_time_of_each_event_in_order(
    clients: tuple[Any, Any],
) -> None:
    with Tail(clients, TailFilter(), as_json=False) as tail:
        placed = publish(clients[0], "OrderPlaced", "ord_tail_1")
        publish(clients[0], "OrderShipped", "ord_tail_1")
        wait_until(lambda: len(tail.lines) == 2, timeout=10, what="two lines")

    assert tail.lines[0].split() == [placed["metadata"]["occurred_at"], "OrderPlaced", "ord_tail_1"]
    assert tail.lines[1].split()[1:] == ["OrderShipped", "ord_tail_1"]
    assert "@" not in "".join(tail.lines)  # no customer email without --json


def test_filters_by_type_and_order_and_json_prints_the_whole_event(
    clients: tuple[Any, Any],
) -> None:
    wanted = TailFilter(detail_types=("OrderShipped",), order_id="ord_tail_2")
    with Tail(clients, wanted, as_json=True) as tail:
        publish(clients[0], "OrderPlaced", "ord_tail_2")
        publish(clients[0], "OrderShipped", "ord_tail_other")
        shipped = publish(clients[0], "OrderShipped", "ord_tail_2")
        wait_until(lambda: tail.lines, timeout=10, what="the shipped event")
        # The others were published first: had they passed the rule, they would be here too.
        publish(clients[0], "OrderShipped", "ord_tail_2")
        wait_until(lambda: len(tail.lines) == 2, timeout=10, what="the second shipped event")

    first = json.loads(tail.lines[0])
    assert (first["detail-type"], first["source"]) == ("OrderShipped", "shop.workflow")
    assert first["detail"] == shipped


def test_stopping_deletes_the_rule_and_the_queue(clients: tuple[Any, Any]) -> None:
    events, sqs = clients
    with Tail(clients, TailFilter(), as_json=False) as tail:
        assert tail.listener is not None
        assert events.list_rules(EventBusName=BUS)["Rules"]

    assert events.list_rules(EventBusName=BUS)["Rules"] == []
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_a_line_never_fails_on_an_odd_event() -> None:
    assert line({"detail-type": "OrderPlaced", "time": "t", "detail": "not an object"}).split() == [
        "t",
        "OrderPlaced",
        "?",
    ]
