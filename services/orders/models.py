"""The orders HTTP API's request and response models, and the order as the service keeps it.

Request models reuse the contract's field types (``events.models``) so that nothing the API
accepts can later fail to become a valid OrderPlaced; unlike the contract models (tolerant of
unknown fields, for evolution) they forbid unknown fields: a typo from a client is a 422, not
silently dropped data.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from events.models import Currency, Customer, LineItem, Money, OrderId, Sku
from services.orders.domain.catalogue import MAX_QUANTITY_PER_SKU

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


# --- request -----------------------------------------------------------------------------


class OrderLineInput(BaseModel):
    """A SKU and how many: names and prices come from the catalogue, never the client."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    sku: Sku
    quantity: int = Field(
        ge=1, description=f"At most {MAX_QUANTITY_PER_SKU} per SKU (checked when priced)."
    )


class PlaceOrderRequest(BaseModel):
    """What a customer sends to place an order. The server prices it and computes the id;
    who the customer is comes from their id token, never from the body."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        defer_build=True,  # built by the API on first use, not by every importer
        json_schema_extra={
            "examples": [
                {
                    "items": [{"sku": "shoes", "quantity": 5}, {"sku": "socks", "quantity": 2}],
                }
            ]
        },
    )

    items: list[OrderLineInput] = Field(min_length=MIN_ITEMS, max_length=MAX_ITEMS)


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

    model_config = ConfigDict(frozen=True, defer_build=True)

    orders: list[OrderView]
    next_token: str | None = Field(
        description="Pass as `next_token` to read the next page; absent on the last page."
    )


class CancellationView(BaseModel):
    """The answer to a customer's cancellation."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    order_id: OrderId
    outcome: Literal["cancelled", "refused", "pending"] = Field(
        description=(
            "cancelled: the order is cancelled (the email follows); refused: the owner "
            "decided or the approval window closed first; pending: no answer yet, ask again."
        )
    )
    requested_at: AwareDatetime
    answered_at: AwareDatetime | None = None
    because: Literal["approved", "rejected", "expired"] | None = Field(
        default=None, description="Why a cancellation was refused."
    )
    decided_at: AwareDatetime | None = Field(
        default=None, description="When the owner decided, or the approval window closed."
    )
    message: str = Field(description="The outcome, for a person.")


class ErrorMessage(BaseModel):
    """Powertools' error shape for 404 and 409 responses."""

    model_config = ConfigDict(defer_build=True)

    statusCode: int  # Powertools' own name for it
    message: str


class UnauthorizedMessage(BaseModel):
    """API Gateway's answer to a missing or refused token (the function never runs)."""

    model_config = ConfigDict(defer_build=True)

    message: str = Field(examples=["Unauthorized"])


class FieldError(BaseModel):
    model_config = ConfigDict(defer_build=True)

    loc: list[str | int] = Field(description="Where the problem is, e.g. body.items.0.quantity.")
    type: str = Field(description="pydantic's error type, e.g. value_error, extra_forbidden.")
    msg: str = Field(description="What is wrong, for a person.")


class ValidationErrorBody(BaseModel):
    """Powertools' 422 shape, with a readable message per field."""

    model_config = ConfigDict(defer_build=True)

    statusCode: int  # Powertools' own name for it
    detail: list[FieldError]
