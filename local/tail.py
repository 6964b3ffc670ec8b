"""``shop events tail``: the shop's events, live, from a running local stack's bus.

Like the stack's own bus tap, it listens the way a subscriber would: a rule of its own on the
bus feeds a private queue it creates, and both are deleted when it stops (Ctrl-C). Filters
become the rule's pattern, so EventBridge does the filtering, as it would for a subscriber.
Only what is published after it starts is shown.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from events.models import ALL_EVENTS

# Short polls keep Ctrl-C responsive; SQS long polling returns early when something arrives.
POLL_SECONDS = 1


@dataclass(frozen=True)
class TailFilter:
    detail_types: tuple[str, ...] = ()
    order_id: str | None = None

    def pattern(self) -> dict[str, Any]:
        """The rule's event pattern: every shop event, narrowed by the filters."""
        pattern: dict[str, Any] = {"source": sorted({e.source for e in ALL_EVENTS})}
        if self.detail_types:
            pattern["detail-type"] = list(self.detail_types)
        if self.order_id:
            pattern["detail"] = {"metadata": {"correlation_id": [self.order_id]}}
        return pattern


@dataclass(frozen=True)
class Listener:
    """The rule and queue a tail created; what ``close`` deletes."""

    rule: str
    bus: str
    queue_url: str


@contextmanager
def listening(
    events: Any, sqs: Any, bus: str, tail_filter: TailFilter, name: str | None = None
) -> Iterator[Listener]:
    """A rule on ``bus`` feeding a new queue, deleted on exit whatever happens."""
    name = name or f"shop-tail-{uuid.uuid4().hex[:12]}"
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    listener = Listener(rule=name, bus=bus, queue_url=url)
    try:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(tail_filter.pattern()))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "tail", "Arn": arn}])
        yield listener
    finally:
        _delete(events, sqs, listener)


def _delete(events: Any, sqs: Any, listener: Listener) -> None:
    try:
        events.remove_targets(Rule=listener.rule, EventBusName=listener.bus, Ids=["tail"])
        events.delete_rule(Name=listener.rule, EventBusName=listener.bus)
    except events.exceptions.ResourceNotFoundException:
        pass  # the rule was never created (no such bus)
    finally:
        sqs.delete_queue(QueueUrl=listener.queue_url)


def receive(sqs: Any, listener: Listener) -> list[dict[str, Any]]:
    """What arrived, as EventBridge events, oldest first; taken off the queue."""
    messages = sqs.receive_message(
        QueueUrl=listener.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=POLL_SECONDS
    ).get("Messages", [])
    delivered = [json.loads(m["Body"]) for m in messages]
    if messages:
        sqs.delete_message_batch(
            QueueUrl=listener.queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
            ],
        )
    return sorted(delivered, key=occurred_at)


def _member(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``, or None where anything on the way is not an object."""
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def occurred_at(event: dict[str, Any]) -> str:
    """When it happened: the contract's ``occurred_at``, else EventBridge's ``time``."""
    return str(_member(event, "detail", "metadata", "occurred_at") or event.get("time", ""))


def line(event: dict[str, Any]) -> str:
    """One line per event: time, type, order. No payload (it holds customers' details)."""
    order_id = (
        _member(event, "detail", "metadata", "correlation_id")
        or _member(event, "detail", "data", "order_id")
        or "?"
    )
    return f"{occurred_at(event)}  {event.get('detail-type', '?'):<18} {order_id}"


def run(
    events: Any,
    sqs: Any,
    bus: str,
    tail_filter: TailFilter,
    out: Callable[[str], None],
    *,
    as_json: bool = False,
    stop: threading.Event | None = None,
    on_ready: Callable[[Listener], None] | None = None,
) -> int:
    """Print events until ``stop`` is set (or Ctrl-C); returns how many were printed."""
    stop = stop or threading.Event()
    printed = 0
    with listening(events, sqs, bus, tail_filter) as listener:
        if on_ready is not None:
            on_ready(listener)
        try:
            while not stop.is_set():
                for event in receive(sqs, listener):
                    out(json.dumps(event, ensure_ascii=False) if as_json else line(event))
                    printed += 1
        except KeyboardInterrupt:
            pass  # Ctrl-C: the rule and queue are deleted on the way out
    return printed


def describe(tail_filter: TailFilter, bus: str, endpoint: str) -> str:
    parts: Sequence[str] = [
        f"type {' or '.join(tail_filter.detail_types)}" if tail_filter.detail_types else "",
        f"order {tail_filter.order_id}" if tail_filter.order_id else "",
    ]
    narrowed = ", ".join(p for p in parts if p) or "every shop event"
    return f"tailing bus {bus} at {endpoint} ({narrowed}); Ctrl-C stops"
