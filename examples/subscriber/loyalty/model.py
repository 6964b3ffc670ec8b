"""The two shop events this service reads, modelled with only the fields it reads.

Tolerant readers: unknown fields are ignored, so the shop can add optional fields without
breaking us; a field we read that is missing or of the wrong type is an error. The shop's
published examples of every version feed the tests (tests/test_loyalty_model.py), and
``reads.py`` declares these same fields to the shop's consumer-contract check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SHOP_SOURCE = "shop.workflow"


class Reader(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Customer(Reader):
    email: str = Field(min_length=3, max_length=254)


class Metadata(Reader):
    event_id: str = Field(min_length=1, max_length=64)


class ShippedData(Reader):
    order_id: str = Field(min_length=1, max_length=64)
    customer: Customer
    total: Decimal = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)
    shipped_at: AwareDatetime


class CancelledData(Reader):
    order_id: str = Field(min_length=1, max_length=64)
    customer: Customer
    cancelled_at: AwareDatetime


class OrderShipped(Reader):
    metadata: Metadata
    data: ShippedData


class OrderCancelled(Reader):
    metadata: Metadata
    data: CancelledData


ShopEvent = OrderShipped | OrderCancelled
EVENTS: dict[str, type[ShopEvent]] = {
    "OrderShipped": OrderShipped,
    "OrderCancelled": OrderCancelled,
}


class Envelope(Reader):
    """The EventBridge event a rule delivers; ``detail`` is the shop's event."""

    source: str
    detail_type: str = Field(alias="detail-type")
    detail: dict[str, Any]


class NotOurEventError(ValueError):
    """An event our rule should not have delivered (another source or detail-type)."""


def parse_event(body: str | bytes) -> ShopEvent:
    """The shop event in an SQS message body (the rule's delivery)."""
    envelope = Envelope.model_validate_json(body)
    model = EVENTS.get(envelope.detail_type)
    if envelope.source != SHOP_SOURCE or model is None:
        raise NotOurEventError(f"{envelope.source} {envelope.detail_type} is not read here")
    return model.model_validate(envelope.detail)
