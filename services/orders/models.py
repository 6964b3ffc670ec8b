"""The orders HTTP API's request and response models, and the order as the service keeps it.

Request models reuse the contract's field types (``events.models``) so that nothing the API
accepts can later fail to become a valid OrderPlaced; unlike the contract models (tolerant of
unknown fields, for evolution) they forbid unknown fields: a typo from a client is a 422, not
silently dropped data.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from events.models import MONEY_PATTERN, Currency, Customer, LineItem, Money, OrderId

# A customer's id: the ``sub`` claim Cognito puts in their tokens (a UUID there).
CustomerId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]

# The contract's limits on an order's lines (OrderSummary.items); a unit test keeps them equal.
MIN_ITEMS = 1
MAX_ITEMS = 50


class OrderStatus(StrEnum):
    """Where an order is in its journey; it only ever moves forward (see ``rank``)."""

    PLACED = "placed"
    AWAITING_APPROVAL = "awaiting_approval"
    SHIPPED = "shipped"
    FEEDBACK_REQUESTED = "feedback_requested"

    @property
    def rank(self) -> int:
        """Position in the journey: a status update is applied only to a lower rank."""
        return list(OrderStatus).index(self)


def order_total(items: list[LineItem]) -> str:
    """The sum of quantity x unit price, as a contract Money string (no exponent notation)."""
    total = sum((Decimal(item.unit_price) * item.quantity for item in items), Decimal(0))
    return format(total, "f")


# --- request -----------------------------------------------------------------------------


class LineItemInput(LineItem):
    """The contract's line item (same limits), closed to unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaceOrderRequest(BaseModel):
    """What a customer sends to place an order. The server computes the id and the total;
    who the customer is comes from their id token, never from the body."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,  # built by the API on first use, not by every importer
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"sku": "TEA-01", "name": "Earl Grey", "quantity": 2, "unit_price": "4.50"}
                    ],
                    "currency": "EUR",
                }
            ]
        },
    )

    items: list[LineItemInput] = Field(min_length=MIN_ITEMS, max_length=MAX_ITEMS)
    currency: Currency

    @model_validator(mode="after")
    def _total_fits_money(self) -> Self:
        # Each price fits the contract; their sum must too, or the OrderPlaced could not exist.
        if not re.fullmatch(MONEY_PATTERN, self.total):
            raise ValueError(f"the order total {self.total} is too large")
        return self

    @property
    def total(self) -> str:
        return order_total(list(self.items))


# --- the order as stored and shown -----------------------------------------------------


class OrderView(BaseModel):
    """An order as the API shows it."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    order_id: OrderId
    status: OrderStatus
    customer: Customer
    items: list[LineItem]
    total: Money
    currency: Currency
    placed_at: AwareDatetime
    updated_at: AwareDatetime


class Order(OrderView):
    """An order as the service stores it: the view plus the customer's id (the ``sub`` of
    their token: whose order it is) and the id of its OrderPlaced event, fixed at creation so
    that a replayed stream record publishes the very same event."""

    # None only on orders stored before customers signed in: they finish their journey (status
    # updates, outbox) but belong to nobody, so no caller can read them.
    customer_id: CustomerId | None = None
    placed_event_id: UUID

    def view(self) -> OrderView:
        return OrderView.model_validate(self.model_dump(exclude={"customer_id", "placed_event_id"}))


class OrderList(BaseModel):
    """A page of the caller's orders, newest first."""

    model_config = ConfigDict(frozen=True)

    orders: list[OrderView]
    next_token: str | None = Field(
        description="Pass as `next_token` to read the next page; absent on the last page."
    )


class ErrorMessage(BaseModel):
    """Powertools' error shape for 404 and 409 responses."""

    statusCode: int  # Powertools' own name for it
    message: str


class UnauthorizedMessage(BaseModel):
    """API Gateway's answer to a missing or refused token (the function never runs)."""

    message: str = Field(examples=["Unauthorized"])


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. body.items.0.quantity.")
    type: str = Field(description="pydantic's error type, e.g. value_error, extra_forbidden.")
    msg: str = Field(description="What is wrong, for a person.")


class ValidationErrorBody(BaseModel):
    """Powertools' 422 shape, with a readable message per field."""

    statusCode: int  # Powertools' own name for it
    detail: list[FieldError]
