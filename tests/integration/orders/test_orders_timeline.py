"""The order's timeline on moto: every journey event through the bus, the declared rules, the
timeline queue and function, then read back through the API by its customer only.

Events other teams are adding (reminders, escalation, the customer's cancel) are put on the
bus here as their producers will put them, with only the fields the plan names.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from local.event_sources import SqsEventSource, drain
from local.lambda_runtime import load_function
from local.provision import ProvisionedService
from services.orders.wiring import WIRING
from tests.integration.orders.conftest import Http, Triggers
from tests.support.customers import GRACE
from tests.support.orders import order_body


class Clock:
    """Times of the steps after the order's placement (now, by the API's clock)."""

    def __init__(self) -> None:
        self.t0 = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)

    def __call__(self, minutes: float) -> str:
        return (self.t0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def at() -> Clock:
    return Clock()


@pytest.fixture
def drain_timeline(orders: ProvisionedService) -> Any:
    sqs = boto3.client("sqs")
    url = orders.queue_urls["timeline-events"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    source = SqsEventSource(
        sqs,
        url,
        arn["QueueArn"],
        load_function(WIRING.name, WIRING.function("timeline")),
        wait_seconds=0,
    )
    return lambda: drain([source])


@pytest.fixture
def order_id(http: Http, triggers: Triggers) -> str:
    placed = http.post(order_body())
    assert placed.status == 201
    assert triggers.run_outbox() == 1  # its OrderPlaced goes on the bus
    return str(placed.body["order_id"])


class Bus:
    """Puts journey events on the shop's bus as their producers do."""

    def __init__(self, bus_name: str) -> None:
        self._client = boto3.client("events")
        self._bus = bus_name

    def put(self, source: str, detail_type: str, order_id: str, **data: Any) -> dict[str, Any]:
        detail = {
            "metadata": {
                "event_id": str(uuid.uuid4()),
                "event_version": 1,
                "occurred_at": datetime.now(UTC).isoformat(),
                "correlation_id": order_id,
            },
            "data": {"order_id": order_id, **data},
        }
        self.again(source, detail_type, detail)
        return detail

    def again(self, source: str, detail_type: str, detail: dict[str, Any]) -> None:
        entry = {
            "Source": source,
            "DetailType": detail_type,
            "Detail": json.dumps(detail),
            "EventBusName": self._bus,
        }
        answer = self._client.put_events(Entries=[entry])  # type: ignore[list-item]
        assert answer["FailedEntryCount"] == 0


@pytest.fixture
def bus(orders: ProvisionedService) -> Bus:
    return Bus(orders.env["EVENT_BUS_NAME"])


def timeline(http: Http, order_id: str) -> Any:
    return http.send("GET", f"/orders/{order_id}/timeline")


def test_an_approved_journey_with_reminders_reads_in_order_once_per_event(
    at: Clock, http: Http, bus: Bus, order_id: str, drain_timeline: Any
) -> None:
    # Given every step of a journey on the bus (OrderPlaced came from the outbox), delivered
    # out of order, and each one twice
    sent = [
        (
            "shop.notifications",
            "EmailOutcomeRecorded",
            {"email": "order_received", "outcome": "sent", "recorded_at": at(0.1)},
        ),
        (
            "shop.workflow",
            "ApprovalRequested",
            {"requested_at": at(1), "approval_deadline": at(61)} | _summary(http, order_id),
        ),
        (
            "shop.approvals",
            "ApprovalReminded",
            {
                "reminder": 1,
                "reminders_planned": 2,
                "reminded_at": at(31),
                "expires_at": at(61),
                "escalated": False,
            },
        ),
        (
            "shop.approvals",
            "ApprovalReminded",
            {
                "reminder": 2,
                "reminders_planned": 2,
                "reminded_at": at(55),
                "expires_at": at(61),
                "escalated": True,
            },
        ),
        ("shop.approvals", "ApprovalEscalated", {"escalated_at": at(55), "expires_at": at(61)}),
        (
            "shop.approvals",
            "OrderApproved",
            {
                "decision": "approved",
                "decided_at": at(57),
                "comment": "Ships today",
                "decided_by": "backup",
            },
        ),
        ("shop.workflow", "OrderShipped", {"shipped_at": at(58)} | _summary(http, order_id)),
        (
            "shop.notifications",
            "EmailOutcomeRecorded",
            {"email": "shipment_confirmed", "outcome": "delivered", "recorded_at": at(59)},
        ),
    ]
    details = [bus.put(source, kind, order_id, **data) for source, kind, data in reversed(sent)]
    drain_timeline()
    for (source, kind, _), detail in zip(reversed(sent), details, strict=True):
        bus.again(source, kind, detail)
    drain_timeline()

    # When the customer reads the timeline
    response = timeline(http, order_id)

    # Then each step is there once, oldest first, with what the customer needs to know
    assert response.status == 200
    steps = response.body["steps"]
    assert [(s["step"], s.get("email"), s.get("outcome")) for s in steps] == [
        ("placed", None, None),
        ("email", "order_received", "sent"),
        ("approval_requested", None, None),
        ("reminded", None, None),
        ("reminded", None, None),
        ("escalated", None, None),
        ("approved", None, None),
        ("shipped", None, None),
        ("email", "shipment_confirmed", "delivered"),
    ]
    approved = steps[6]
    assert (approved["comment"], approved["by"]) == ("Ships today", "backup")
    assert approved["text"] == 'Approved by the backup approver: "Ships today"'
    assert steps[4]["text"] == "Reminder 2 of 2 sent to the owner and to the backup approver"
    assert response.body["expires_at"] is None
    assert "90 days" in response.body["retention"]
    assert "@" not in json.dumps(response.body)  # no address in any step


def test_a_cancelled_orders_timeline_outlives_the_order_for_its_customer_only(
    *,
    at: Clock,
    orders: ProvisionedService,
    http: Http,
    bus: Bus,
    order_id: str,
    drain_timeline: Any,
    triggers: Triggers,
) -> None:
    summary = _summary(http, order_id)
    bus.put(
        "shop.workflow",
        "ApprovalRequested",
        order_id,
        requested_at=at(1),
        approval_deadline=at(2),
        **summary,
    )
    bus.put(
        "shop.approvals",
        "ApprovalReminded",
        order_id,
        reminder=1,
        reminders_planned=1,
        reminded_at=at(1.9),
        expires_at=at(2),
    )
    bus.put(
        "shop.workflow",
        "OrderCancelled",
        order_id,
        reason="approval_timeout",
        cancelled_at=at(2.2),
        **summary,
    )
    drain_timeline()
    triggers.run_status()  # the status function deletes the cancelled order
    assert http.get(order_id).status == 404
    # Steps that come after the cancellation (its email) expire with the timeline
    bus.put(
        "shop.notifications",
        "EmailOutcomeRecorded",
        order_id,
        email="order_cancelled",
        outcome="sent",
        recorded_at=at(2.3),
    )
    drain_timeline()

    response = timeline(http, order_id)

    assert response.status == 200
    steps = response.body["steps"]
    assert [s["step"] for s in steps] == [
        "placed",
        "approval_requested",
        "reminded",
        "cancelled",
        "email",
    ]
    assert (steps[3]["reason"], steps[3]["by"]) == ("approval_timeout", "nobody")
    assert steps[3]["text"] == "Cancelled (approval timeout; by nobody)"
    expires = at.t0 + timedelta(minutes=2.2, days=90)  # cancelled + 90 days
    assert response.body["expires_at"] == expires.isoformat().replace("+00:00", "Z")
    assert _ttl_of_every_item(orders, order_id) == {int(expires.timestamp())}
    assert timeline(http.as_customer(GRACE), order_id).status == 404
    assert timeline(http.as_customer(None), "ord_unknown").status in (401, 403)


def test_the_customers_cancel_and_its_answer_are_steps(
    at: Clock, http: Http, bus: Bus, order_id: str, drain_timeline: Any
) -> None:
    customer = http.claims["sub"] if http.claims else ""
    bus.put(
        "shop.orders",
        "OrderCancellationRequested",
        order_id,
        customer_id=customer,
        requested_at=at(2),
    )
    bus.put(
        "shop.approvals",
        "ApprovalWithdrawn",
        order_id,
        withdrawn_at=at(2.1),
        withdrawn_by="customer",
    )
    bus.put(
        "shop.workflow",
        "OrderCancelled",
        order_id,
        reason="customer_cancelled",
        cancelled_by="customer",
        cancelled_at=at(2.2),
        **_summary(http, order_id),
    )
    drain_timeline()

    steps = timeline(http, order_id).body["steps"]

    assert [s["text"] for s in steps[1:]] == [
        "The customer asked to cancel",
        "Approval request withdrawn by the customer",
        "Cancelled (customer cancelled; by customer)",
    ]


def test_a_cancellation_refused_after_the_decision_is_a_step(
    at: Clock, http: Http, bus: Bus, order_id: str, drain_timeline: Any
) -> None:
    bus.put(
        "shop.approvals",
        "OrderRejected",
        order_id,
        decision="rejected",
        decided_at=at(3),
        comment="Out of stock",
    )
    bus.put(
        "shop.approvals",
        "OrderCancellationRefused",
        order_id,
        refused_at=at(4),
        because="rejected",
        decided_at=at(3),
    )
    drain_timeline()

    steps = timeline(http, order_id).body["steps"]

    assert [s["text"] for s in steps[1:]] == [
        'Rejected by the owner: "Out of stock"',
        "Cancellation refused: the order was already rejected",
    ]


def test_an_event_from_the_wrong_producer_is_not_recorded(
    at: Clock, http: Http, bus: Bus, order_id: str, drain_timeline: Any
) -> None:
    bus.put("shop.orders", "OrderApproved", order_id, decision="approved", decided_at=at(3))
    drain_timeline()

    assert [s["step"] for s in timeline(http, order_id).body["steps"]] == ["placed"]


def _summary(http: Http, order_id: str) -> dict[str, Any]:
    order = http.get(order_id).body
    return {k: order[k] for k in ("customer", "items", "total", "currency")}


def _ttl_of_every_item(orders: ProvisionedService, order_id: str) -> set[int]:
    table = boto3.resource("dynamodb").Table(orders.tables["timeline"])
    items = table.query(KeyConditionExpression=Key("order_id").eq(order_id))["Items"]
    return {int(str(item["expires_at"])) for item in items}
