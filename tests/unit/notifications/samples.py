"""Order events for the notifications tests: the committed examples, with the lines and
customer these tests read in the emails (an ampersand, a four-digit price)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from events.models import Customer, FeedbackDue, LineItem, OrderCancelled, OrderPlaced, OrderShipped
from tests.support.orders import example

MOMENT = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


def summary(
    order_id: str = "ord_1001", *, name: str = "Ada Lovelace", email: str = "ada@example.com"
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "customer": Customer(name=name, email=email),
        "items": [
            LineItem(sku="MUG-01", name="Mug & Saucer", quantity=2, unit_price="4.50"),
            LineItem(sku="TEA-07", name="Earl Grey, 250 g", quantity=1, unit_price="1234.50"),
        ],
        "total": "1243.50",
        "currency": "EUR",
    }


def order_placed(order_id: str = "ord_1001", **customer: str) -> OrderPlaced:
    return example(OrderPlaced, **summary(order_id, **customer), placed_at=MOMENT)


def order_shipped(order_id: str = "ord_1001", **customer: str) -> OrderShipped:
    return example(OrderShipped, **summary(order_id, **customer), shipped_at=MOMENT)


def order_cancelled(
    order_id: str = "ord_1001",
    reason: Literal["rejected", "approval_timeout"] = "rejected",
    **customer: str,
) -> OrderCancelled:
    return example(
        OrderCancelled, **summary(order_id, **customer), reason=reason, cancelled_at=MOMENT
    )


def feedback_due(order_id: str = "ord_1001", **customer: str) -> FeedbackDue:
    return example(FeedbackDue, **summary(order_id, **customer), due_at=MOMENT)
