"""EventBridgePublisher against moto: batches of ten, delivery to a rule's queue, failures named.

moto never fails an entry by itself, so the partial failure is injected by a client wrapper
that keeps the chosen entries from moto and answers for them as EventBridge does
(``FailedEntryCount`` and an ``ErrorCode`` in their slots); every other entry really goes
through moto to the queue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import boto3
import pytest
from moto import mock_aws

from events.models import ALL_EVENTS, Event
from events.publisher import TRACE_HEADER_ENV_VAR, EventBridgePublisher, PublishError
from tests.support.polling import wait_until
from tools.contract.catalogue import EXAMPLES_DIR
from tools.contract.schemas import validate_detail

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_sqs import SQSClient

REGION = "us-east-1"
BUS = "shop-publisher-test"
FIRST_OCCURRED_AT = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)


@dataclass
class Bus:
    events: EventBridgeClient
    sqs: SQSClient
    queue_url: str


@pytest.fixture
def bus() -> Iterator[Bus]:
    """A custom bus whose rule sends every shop event to one SQS queue."""
    with mock_aws():
        events = boto3.client("events", region_name=REGION)
        sqs = boto3.client("sqs", region_name=REGION)
        events.create_event_bus(Name=BUS)
        queue_url = sqs.create_queue(QueueName="every-shop-event")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        sources = sorted({e.source for e in ALL_EVENTS})
        events.put_rule(
            Name="every-shop-event",
            EventBusName=BUS,
            EventPattern=json.dumps({"source": sources}),
        )
        events.put_targets(
            Rule="every-shop-event", EventBusName=BUS, Targets=[{"Id": "queue", "Arn": queue_arn}]
        )
        yield Bus(events, sqs, queue_url)


class RecordingClient:
    """Passes PutEvents through, remembering each call's entries."""

    def __init__(self, client: EventBridgeClient) -> None:
        self._client = client
        self.calls: list[list[dict[str, Any]]] = []

    def put_events(self, *, Entries: Sequence[Any], **kwargs: Any) -> Any:
        self.calls.append(list(Entries))
        return self._client.put_events(Entries=Entries, **kwargs)


class FailingClient(RecordingClient):
    """Fails the entries of chosen event ids the way EventBridge reports it; sends the rest."""

    def __init__(self, client: EventBridgeClient, failures: dict[str, tuple[str, str]]) -> None:
        super().__init__(client)
        self._failures = failures  # event id -> (ErrorCode, ErrorMessage)

    def put_events(self, *, Entries: Sequence[Any], **kwargs: Any) -> Any:
        self.calls.append(list(Entries))
        passing = [e for e in Entries if _event_id(e) not in self._failures]
        response: Any = (
            self._client.put_events(Entries=passing, **kwargs)
            if passing
            else {"FailedEntryCount": 0, "Entries": []}
        )
        accepted = iter(response["Entries"])
        results = []
        for entry in Entries:
            failure = self._failures.get(_event_id(entry))
            if failure:
                results.append({"ErrorCode": failure[0], "ErrorMessage": failure[1]})
            else:
                results.append(next(accepted))
        failed = response["FailedEntryCount"] + len(Entries) - len(passing)
        return {**response, "FailedEntryCount": failed, "Entries": results}


def _event_id(entry: Any) -> str:
    return str(json.loads(entry["Detail"])["metadata"]["event_id"])


def some_events(count: int) -> list[Event]:
    """``count`` new events of every type in turn, each for its own order, a second apart."""
    made: list[Event] = []
    for index in range(count):
        model = ALL_EVENTS[index % len(ALL_EVENTS)]
        example = json.loads(
            (EXAMPLES_DIR / f"{model.detail_type}.v{model.version}.full.json").read_text()
        )
        data = {**example["detail"]["data"], "order_id": f"ord_publisher_test_{index:02d}"}
        data_model = model.model_fields["data"].annotation
        assert isinstance(data_model, type)
        occurred_at = FIRST_OCCURRED_AT + timedelta(seconds=index)
        made.append(model.create(data_model.model_validate(data), occurred_at=occurred_at))
    return made


def received(bus: Bus, expected: int, deadline_seconds: float = 10.0) -> list[dict[str, Any]]:
    """The EventBridge events that reach the queue, polled until ``expected`` or the deadline."""
    found: list[dict[str, Any]] = []

    def receive() -> list[dict[str, Any]]:
        messages = bus.sqs.receive_message(
            QueueUrl=bus.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", [])
        for message in messages:
            found.append(json.loads(message["Body"]))
            bus.sqs.delete_message(QueueUrl=bus.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return found

    return wait_until(receive, count=expected, timeout=deadline_seconds, what="the events")


def test_the_invocations_trace_header_travels_with_each_entry(
    bus: Bus, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = RecordingClient(bus.events)
    publisher = EventBridgePublisher(cast("EventBridgeClient", client), BUS)
    header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    publisher.publish(some_events(2))
    monkeypatch.setenv(TRACE_HEADER_ENV_VAR, header)
    publisher.publish(some_events(2))

    untraced, traced = client.calls
    assert all("TraceHeader" not in entry for entry in untraced)
    assert [entry["TraceHeader"] for entry in traced] == [header, header]
    assert len(received(bus, expected=4)) == 4


def test_23_events_go_out_in_3_calls_and_all_arrive(bus: Bus) -> None:
    client = RecordingClient(bus.events)
    publisher = EventBridgePublisher(cast("EventBridgeClient", client), BUS)
    events = some_events(23)

    publisher.publish(events)

    assert [len(call) for call in client.calls] == [10, 10, 3]
    assert {entry["EventBusName"] for call in client.calls for entry in call} == {BUS}
    delivered = received(bus, expected=23)
    assert len(delivered) == 23
    by_id = {d["detail"]["metadata"]["event_id"]: d for d in delivered}
    assert set(by_id) == {str(e.metadata.event_id) for e in events}
    for event in events:
        arrived = by_id[str(event.metadata.event_id)]
        assert arrived["detail-type"] == event.detail_type
        assert arrived["source"] == event.source
        # The entry's Time is when the event occurred, not when it was published.
        assert arrived["time"] == event.metadata.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert arrived["detail"]["metadata"]["correlation_id"] == event.order_id
        assert arrived["detail"] == json.loads(event.detail_json())
        validate_detail(arrived["detail-type"], arrived["detail"])


def test_exactly_ten_events_take_one_call_and_none_take_none(bus: Bus) -> None:
    client = RecordingClient(bus.events)
    publisher = EventBridgePublisher(cast("EventBridgeClient", client), BUS)

    publisher.publish([])
    publisher.publish(some_events(10))

    assert [len(call) for call in client.calls] == [10]
    assert len(received(bus, expected=10)) == 10


def test_failed_entries_are_named_and_the_others_still_sent(bus: Bus) -> None:
    events = some_events(23)
    throttled, broken = events[3], events[21]  # one in the first call, one in the last
    client = FailingClient(
        bus.events,
        {
            str(throttled.metadata.event_id): ("ThrottlingException", "Rate exceeded"),
            str(broken.metadata.event_id): ("InternalFailure", "Internal service error"),
        },
    )
    publisher = EventBridgePublisher(cast("EventBridgeClient", client), BUS)

    with pytest.raises(PublishError) as raised:
        publisher.publish(events)

    assert len(client.calls) == 3, "a failure does not stop the following batches"
    failed = raised.value.failed
    assert [(f.detail_type, f.event_id, f.correlation_id, f.error_code) for f in failed] == [
        (
            throttled.detail_type,
            str(throttled.metadata.event_id),
            throttled.order_id,
            "ThrottlingException",
        ),
        (broken.detail_type, str(broken.metadata.event_id), broken.order_id, "InternalFailure"),
    ]
    message = str(raised.value)
    assert message.startswith("2 event(s) were not published")
    for event in (throttled, broken):
        assert event.detail_type in message
        assert str(event.metadata.event_id) in message
        assert event.order_id in message
    delivered = received(bus, expected=21)
    assert {d["detail"]["metadata"]["event_id"] for d in delivered} == {
        str(e.metadata.event_id) for e in events if e not in (throttled, broken)
    }
