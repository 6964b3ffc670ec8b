"""The timeline's rules with in-memory stores: one step per event, in journey order, for the
order's customer only, and readable after a cancellation until the retention runs out."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from services.common.envelope import ForeignSourceError, MalformedEventError, UnexpectedEventError
from services.orders.domain.timeline import (
    Recorded,
    TimelineHead,
    TimelineStep,
    read,
    record,
    step_of,
)
from services.orders.journey_events import JOURNEY_EVENTS, JourneyEvent, parse_journey_record
from tests.support.events import sqs_record as sqs_record_dict
from tests.unit.orders.fake_store import InMemoryOrdersStore
from tests.unit.orders.samples import CUSTOMER_ID, ORDER_ID, order

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
RETENTION = timedelta(days=90)
SUMMARY = {"customer": {"name": "Ada", "email": "ada@example.com"}, "total": "1.00"}


@dataclass
class InMemoryTimelineStore:
    owners: dict[str, str] = field(default_factory=dict)
    expiry: dict[str, datetime] = field(default_factory=dict)
    recorded: dict[str, dict[str, TimelineStep]] = field(default_factory=dict)

    def set_owner(self, order_id: str, customer_id: str) -> None:
        self.owners[order_id] = customer_id

    def add(self, order_id: str, event_id: str, step: TimelineStep) -> bool:
        steps = self.recorded.setdefault(order_id, {})
        if event_id in steps:
            return False
        steps[event_id] = step
        return True

    def expire_at(self, order_id: str, at: datetime) -> None:
        self.expiry[order_id] = at

    def head(self, order_id: str) -> TimelineHead | None:
        if order_id not in self.owners and order_id not in self.recorded:
            return None
        return TimelineHead(self.owners.get(order_id), self.expiry.get(order_id))

    def steps(self, order_id: str) -> list[TimelineStep]:
        return list(self.recorded.get(order_id, {}).values())


SOURCES = {e.detail_type: e.source for e in JOURNEY_EVENTS}


def body(detail_type: str, minutes: float, source: str | None = None, **data: Any) -> str:
    return json.dumps(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": detail_type,
            "source": source or SOURCES[detail_type],
            "account": "123456789012",
            "time": "2030-05-01T12:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": {
                "metadata": {
                    "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{detail_type}{minutes}")),
                    "event_version": 1,
                    "occurred_at": _at(minutes),
                    "correlation_id": ORDER_ID,
                },
                "data": {"order_id": ORDER_ID, **data},
            },
        }
    )


def sqs_record(body: str) -> SQSRecord:
    return SQSRecord(sqs_record_dict(body))


def _at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def event(detail_type: str, minutes: float, **data: Any) -> JourneyEvent:
    return parse_journey_record(sqs_record(body(detail_type, minutes, **data)), JOURNEY_EVENTS)


JOURNEY = [
    event("OrderPlaced", 0, placed_at=_at(0), **SUMMARY),
    event("ApprovalRequested", 1, requested_at=_at(1), approval_deadline=_at(61), **SUMMARY),
    event("EmailOutcomeRecorded", 0, email="order_received", outcome="sent", recorded_at=_at(0)),
    event(
        "ApprovalReminded",
        31,
        reminder=1,
        reminders_planned=1,
        reminded_at=_at(31),
        expires_at=_at(61),
        escalated=True,
    ),
    event("ApprovalEscalated", 31, escalated_at=_at(31), expires_at=_at(61)),
    event("OrderRejected", 40, decision="rejected", decided_at=_at(40), comment="No stock"),
    event("OrderCancelled", 40, reason="rejected", cancelled_at=_at(40), **SUMMARY),
]


@pytest.fixture
def stores() -> tuple[InMemoryTimelineStore, InMemoryOrdersStore]:
    orders = InMemoryOrdersStore()
    orders.create(order())
    return InMemoryTimelineStore(), orders


def record_all(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore], events: list[JourneyEvent]
) -> list[Recorded]:
    timeline, orders = stores
    return [record(e, timeline=timeline, orders=orders, retention=RETENTION) for e in events]


def read_as(
    timeline: InMemoryTimelineStore, customer_id: str, now: datetime = T0
) -> dict[str, Any] | None:
    found = read(
        ORDER_ID, customer_id=customer_id, timeline=timeline, retention_days=90, now=lambda: now
    )
    return None if found is None else found.model_dump(mode="json")


def test_steps_read_oldest_first_in_journey_order_whatever_the_arrival(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore],
) -> None:
    record_all(stores, list(reversed(JOURNEY)))

    found = read_as(stores[0], CUSTOMER_ID)

    assert found is not None
    assert [(s["step"], s["text"]) for s in found["steps"]] == [
        ("placed", "Order placed"),
        ("email", "Order confirmation sent"),
        ("approval_requested", "Approval requested from the owner (until 2030-05-01 13:01:00 UTC)"),
        ("reminded", "Reminder 1 of 1 sent to the owner and to the backup approver"),
        ("escalated", "Approval request escalated to the backup approver"),
        ("rejected", 'Rejected by the owner: "No stock"'),
        ("cancelled", "Cancelled (rejected; by owner)"),
    ]


def test_a_redelivered_event_adds_nothing(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore],
) -> None:
    first = record_all(stores, JOURNEY)
    again = record_all(stores, JOURNEY)

    assert set(first) == {Recorded.RECORDED}
    assert set(again) == {Recorded.ALREADY_RECORDED}
    found = read_as(stores[0], CUSTOMER_ID)
    assert found is not None
    assert len(found["steps"]) == len(JOURNEY)


def test_only_the_orders_customer_reads_it(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore],
) -> None:
    record_all(stores, JOURNEY)

    assert read_as(stores[0], "someone-else") is None
    assert read_as(stores[0], CUSTOMER_ID) is not None


def test_steps_without_the_orders_placement_have_no_owner_to_show_them_to(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore],
) -> None:
    record_all(stores, JOURNEY[1:])

    assert read_as(stores[0], CUSTOMER_ID) is None


def test_a_cancelled_orders_timeline_is_kept_for_the_retention_then_gone(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore],
) -> None:
    record_all(stores, JOURNEY)
    cancelled_at = T0 + timedelta(minutes=40)

    kept = read_as(stores[0], CUSTOMER_ID, now=cancelled_at + RETENTION - timedelta(seconds=1))
    gone = read_as(stores[0], CUSTOMER_ID, now=cancelled_at + RETENTION)

    assert kept is not None
    assert kept["expires_at"] == "2030-07-30T12:40:00Z"
    assert kept["cancelled_order_retention_days"] == 90
    assert "kept for 90 days after the cancellation" in kept["retention"]
    assert gone is None


def test_an_order_not_cancelled_has_no_expiry(
    stores: tuple[InMemoryTimelineStore, InMemoryOrdersStore],
) -> None:
    record_all(stores, JOURNEY[:3])

    found = read_as(stores[0], CUSTOMER_ID, now=T0 + timedelta(days=3650))

    assert found is not None
    assert found["expires_at"] is None


def test_who_cancelled_comes_from_the_event_or_its_reason() -> None:
    timeout = event("OrderCancelled", 1, reason="approval_timeout", cancelled_at=_at(1))
    customer = event(
        "OrderCancelled", 2, reason="customer_cancelled", cancelled_at=_at(2), cancelled_by="owner"
    )
    new_reason = event("OrderCancelled", 3, reason="fraud_suspected", cancelled_at=_at(3))

    assert [step_of(e).by for e in (timeout, customer, new_reason)] == [
        "nobody",
        "owner",
        "unknown",
    ]


def test_records_that_are_not_journey_events_from_their_producer_are_refused() -> None:
    with pytest.raises(ForeignSourceError):
        parse_journey_record(
            sqs_record(body("OrderApproved", 1, source="shop.orders", decided_at=_at(1))),
            JOURNEY_EVENTS,
        )
    with pytest.raises(UnexpectedEventError):
        parse_journey_record(
            sqs_record(body("OrderPlaced", 1, source="shop.orders").replace("OrderPlaced", "X")),
            JOURNEY_EVENTS,
        )
    with pytest.raises(MalformedEventError) as malformed:
        parse_journey_record(
            sqs_record(body("OrderCancelled", 1, reason="Free text!", cancelled_at=_at(1))),
            JOURNEY_EVENTS,
        )
    assert "Free text" not in str(malformed.value)
