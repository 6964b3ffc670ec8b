"""Orders and workflow events for the unit tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from events.models import (
    ApprovalRequested,
    ApprovalRequestedData,
    FeedbackDue,
    FeedbackDueData,
    OrderCancelled,
    OrderCancelledData,
    OrderShipped,
    OrderShippedData,
)
from services.orders.models import Order, OrderStatus, PlaceOrderRequest

PLACED_AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
ORDER_ID = "ord_00000000000000000000000000000001"
EVENT_ID = uuid.UUID("6f1c1f7e-8a4b-4c55-9a1e-3b2c1d0e9f8a")


def request_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "items": [
            {"sku": "TEA-01", "name": "Earl Grey", "quantity": 2, "unit_price": "4.50"},
            {"sku": "MUG-7", "name": "Mug", "quantity": 1, "unit_price": "12.00"},
        ],
        "currency": "EUR",
    }
    body.update(overrides)
    return body


def request(**overrides: Any) -> PlaceOrderRequest:
    return PlaceOrderRequest.model_validate(request_body(**overrides))


def order(status: OrderStatus = OrderStatus.PLACED, order_id: str = ORDER_ID) -> Order:
    body = request_body()
    return Order(
        order_id=order_id,
        status=status,
        customer=body["customer"],
        items=body["items"],
        total="21.00",
        currency="EUR",
        placed_at=PLACED_AT,
        updated_at=PLACED_AT,
        placed_event_id=EVENT_ID,
    )


def _summary(placed: Order) -> dict[str, Any]:
    return placed.model_dump(include={"order_id", "customer", "items", "total", "currency"})


def approval_requested(placed: Order, minutes: int = 1) -> ApprovalRequested:
    at = PLACED_AT + timedelta(minutes=minutes)
    data = ApprovalRequestedData(
        **_summary(placed), requested_at=at, approval_deadline=at + timedelta(days=1)
    )
    return ApprovalRequested.create(data, occurred_at=at)


def order_shipped(placed: Order, minutes: int = 2) -> OrderShipped:
    at = PLACED_AT + timedelta(minutes=minutes)
    return OrderShipped.create(OrderShippedData(**_summary(placed), shipped_at=at), occurred_at=at)


def feedback_due(placed: Order, minutes: int = 3) -> FeedbackDue:
    at = PLACED_AT + timedelta(minutes=minutes)
    return FeedbackDue.create(FeedbackDueData(**_summary(placed), due_at=at), occurred_at=at)


def order_cancelled(placed: Order, minutes: int = 4) -> OrderCancelled:
    at = PLACED_AT + timedelta(minutes=minutes)
    data = OrderCancelledData(**_summary(placed), reason="approval_timeout", cancelled_at=at)
    return OrderCancelled.create(data, occurred_at=at)
