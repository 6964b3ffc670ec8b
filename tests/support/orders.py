"""Orders and their events for the tests, built from the committed examples (events/examples/).

A test tweaks only the fields it is about; every other field is the published example's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel

from events.models import (
    ApprovalRequested,
    Event,
    FeedbackDue,
    OrderCancelled,
    OrderPlaced,
    OrderShipped,
)
from tests.support.paths import REPO_ROOT

EXAMPLES_DIR = REPO_ROOT / "events" / "examples"
PLACED_AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SUMMARY_FIELDS = ("order_id", "customer", "items", "total", "currency")

E = TypeVar("E", bound=Event)


def example(
    event: type[E], name: str = "full", *, occurred_at: datetime | None = None, **data: Any
) -> E:
    """A new ``event`` whose data is its committed example's, with ``data`` fields replaced."""
    path = EXAMPLES_DIR / f"{event.detail_type}.v{event.version}.{name}.json"
    committed = json.loads(path.read_text(encoding="utf-8"))["detail"]["data"]
    data_model = cast(type[BaseModel], event.model_fields["data"].annotation)
    return event.create(data_model.model_validate({**committed, **data}), occurred_at=occurred_at)


# The lines of order_body() as the local sample catalogue (local/sample_catalogue.json)
# prices them: 2 x 4.50 + 1 x 12.00 = 21.00 EUR.
PRICED_ITEMS: list[dict[str, Any]] = [
    {"sku": "TEA-01", "name": "Earl Grey, 100 g", "quantity": 2, "unit_price": "4.50"},
    {"sku": "MUG-7", "name": "Stoneware mug", "quantity": 1, "unit_price": "12.00"},
]


def order_body(**overrides: Any) -> dict[str, Any]:
    """What a signed-in customer POSTs to /orders (who they are comes from their token): SKUs
    and quantities (see PRICED_ITEMS)."""
    body: dict[str, Any] = {
        "items": [{"sku": item["sku"], "quantity": item["quantity"]} for item in PRICED_ITEMS],
    }
    body.update(overrides)
    return body


def summary(order: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
    """The order summary every customer-facing event carries, from an order or its JSON."""
    fields = order.model_dump() if isinstance(order, BaseModel) else order
    return {field: fields[field] for field in SUMMARY_FIELDS}


def _at(minutes: int) -> datetime:
    return PLACED_AT + timedelta(minutes=minutes)


def order_placed(order: Mapping[str, Any] | BaseModel) -> OrderPlaced:
    return example(OrderPlaced, **summary(order), placed_at=PLACED_AT)


def approval_requested(order: Mapping[str, Any] | BaseModel, minutes: int = 1) -> ApprovalRequested:
    at = _at(minutes)
    return example(
        ApprovalRequested,
        occurred_at=at,
        **summary(order),
        requested_at=at,
        approval_deadline=at + timedelta(hours=24),
    )


def order_shipped(order: Mapping[str, Any] | BaseModel, minutes: int = 2) -> OrderShipped:
    return example(
        OrderShipped, occurred_at=_at(minutes), **summary(order), shipped_at=_at(minutes)
    )


def feedback_due(order: Mapping[str, Any] | BaseModel, minutes: int = 3) -> FeedbackDue:
    return example(FeedbackDue, occurred_at=_at(minutes), **summary(order), due_at=_at(minutes))


def order_cancelled(
    order: Mapping[str, Any] | BaseModel,
    minutes: int = 4,
    reason: Literal["rejected", "approval_timeout"] = "rejected",
) -> OrderCancelled:
    at = _at(minutes)
    return example(OrderCancelled, occurred_at=at, **summary(order), reason=reason, cancelled_at=at)
