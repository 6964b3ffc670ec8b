"""Request bodies and workflow events for an order the tests placed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from events.models import (
    ApprovalRequested,
    ApprovalRequestedData,
    FeedbackDue,
    FeedbackDueData,
    OrderCancelled,
    OrderCancelledData,
    OrderPlaced,
    OrderPlacedData,
    OrderShipped,
    OrderShippedData,
)

PLACED_AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "items": [
            {"sku": "TEA-01", "name": "Earl Grey, 100 g", "quantity": 2, "unit_price": "4.50"},
            {"sku": "MUG-7", "name": "Stoneware mug", "quantity": 1, "unit_price": "12.00"},
        ],
        "currency": "EUR",
    }
    body.update(overrides)
    return body


def _summary(order: dict[str, Any]) -> dict[str, Any]:
    keys = ("order_id", "customer", "items", "total", "currency")
    return {key: order[key] for key in keys}


def order_placed(order: dict[str, Any]) -> OrderPlaced:
    return OrderPlaced.create(OrderPlacedData(**_summary(order), placed_at=PLACED_AT))


def approval_requested(order: dict[str, Any], minutes: int = 1) -> ApprovalRequested:
    at = PLACED_AT + timedelta(minutes=minutes)
    data = ApprovalRequestedData(
        **_summary(order), requested_at=at, approval_deadline=at + timedelta(hours=24)
    )
    return ApprovalRequested.create(data, occurred_at=at)


def order_shipped(order: dict[str, Any], minutes: int = 2) -> OrderShipped:
    at = PLACED_AT + timedelta(minutes=minutes)
    return OrderShipped.create(OrderShippedData(**_summary(order), shipped_at=at), occurred_at=at)


def feedback_due(order: dict[str, Any], minutes: int = 3) -> FeedbackDue:
    at = PLACED_AT + timedelta(minutes=minutes)
    return FeedbackDue.create(FeedbackDueData(**_summary(order), due_at=at), occurred_at=at)


def order_cancelled(order: dict[str, Any], minutes: int = 4) -> OrderCancelled:
    at = PLACED_AT + timedelta(minutes=minutes)
    data = OrderCancelledData(**_summary(order), reason="rejected", cancelled_at=at)
    return OrderCancelled.create(data, occurred_at=at)
