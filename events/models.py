"""The event contract: one envelope and one pydantic model per event.

Every ``detail`` on the bus is ``{"metadata": {...}, "data": {...}}``. The JSON Schemas in
``events/schemas/`` are generated from these models (``make schemas``) and committed: they are
what other teams build on, so a change here is a change to a published contract.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    model_validator,
)

from events.currencies import ISO_4217_CODES
from events.text import SAFE_TEXT_PATTERN, fold, safe_text

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MONEY_PATTERN = r"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$"


def _iso_currency(code: str) -> str:
    if code not in ISO_4217_CODES:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return code


OrderId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="The order's id; also the name of its workflow execution.",
        examples=["ord_4f9c2d1e8b7a4c3d9e0f1a2b3c4d5e6f"],
    ),
]
Money = Annotated[
    str,
    Field(
        pattern=MONEY_PATTERN,
        description="An amount as a decimal string with at most two decimals.",
        examples=["19.90"],
    ),
]
Sku = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
Currency = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code.", examples=["EUR"]),
    AfterValidator(_iso_currency),
]


def _fold_text(value: Any) -> Any:
    return fold(value) if isinstance(value, str) else value  # other types fail as str


def _sendable_by_ses(address: str) -> str:
    # SES sends 7-bit addresses only: no SMTPUTF8, so the local part must be ASCII and the
    # domain travels in its IDNA (xn--) form. Imported here, as EmailStr does, so only the
    # functions that validate an address pay for email-validator.
    import email_validator  # noqa: PLC0415

    try:
        checked = email_validator.validate_email(
            address, check_deliverability=False, allow_smtputf8=False
        )
    except email_validator.EmailNotValidError as error:
        raise ValueError(f"not an address email can be sent to: {error}") from None
    return str(checked.ascii_email)


SafeText = Annotated[
    str,
    BeforeValidator(_fold_text),
    AfterValidator(safe_text),
    Field(
        description=(
            "Text people typed, as the shop shows it: NFC, single spaces, trimmed; no control, "
            "format (bidi, zero-width) or line-separator characters."
        ),
        json_schema_extra={"pattern": SAFE_TEXT_PATTERN},
    ),
]
EmailAddress = Annotated[
    EmailStr,
    AfterValidator(_sendable_by_ses),
    Field(
        max_length=254,
        description="An address SES can send to: ASCII local part, domain in its IDNA form.",
    ),
]
Comment = Annotated[SafeText, Field(min_length=1, max_length=500)]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ContractModel(BaseModel):
    """Strict about the fields it knows, tolerant of ones it does not.

    Ignoring unknown fields is what lets a producer add an optional field within a version
    without breaking consumers (and why the schemas do not forbid additional properties).
    Inputs from people (the orders API) are forbidding models of their own.
    Validators are built on first use, not at import: a handler pays only for the events it
    parses, which keeps its cold start short.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class Metadata(ContractModel):
    event_id: uuid.UUID = Field(description="Unique per event; consumers deduplicate on it.")
    event_version: int = Field(ge=1, description="Version of the event's schema.")
    occurred_at: AwareDatetime = Field(description="When it happened (RFC 3339, UTC).")
    correlation_id: OrderId = Field(description="The order id the event belongs to.")


class Customer(ContractModel):
    name: Annotated[SafeText, Field(min_length=1, max_length=200)]
    email: EmailAddress


class LineItem(ContractModel):
    sku: Sku
    name: Annotated[SafeText, Field(min_length=1, max_length=200)]
    quantity: int = Field(ge=1, le=1000)
    unit_price: Money


class OrderSummary(ContractModel):
    """What a consumer needs to talk about an order without reading the orders table."""

    order_id: OrderId
    customer: Customer
    items: list[LineItem] = Field(min_length=1, max_length=50)
    total: Money
    currency: Currency

    @model_validator(mode="after")
    def _total_matches_items(self) -> Self:
        expected = sum(
            (Decimal(item.unit_price) * item.quantity for item in self.items), Decimal(0)
        )
        if Decimal(self.total) != expected:
            raise ValueError(f"total {self.total} does not equal the sum of the items {expected}")
        return self


# --- event data -------------------------------------------------------------------------


class OrderPlacedData(OrderSummary):
    placed_at: AwareDatetime


class ApprovalRequestedData(OrderSummary):
    requested_at: AwareDatetime
    approval_deadline: AwareDatetime


Approver = Literal["owner", "backup"]
APPROVER_DESCRIPTION = (
    "Whose links decided: the store owner's, or the backup approver's (asked with the last "
    "reminder). Absent in decisions recorded before it was published."
)


class OrderApprovedData(ContractModel):
    order_id: OrderId
    decision: Literal["approved"] = "approved"
    decided_at: AwareDatetime
    comment: Comment | None = None
    decided_by: Approver | None = Field(None, description=APPROVER_DESCRIPTION)


class OrderRejectedData(ContractModel):
    order_id: OrderId
    decision: Literal["rejected"] = "rejected"
    decided_at: AwareDatetime
    comment: Comment | None = None
    decided_by: Approver | None = Field(None, description=APPROVER_DESCRIPTION)


class OrderShippedData(OrderSummary):
    shipped_at: AwareDatetime


class OrderCancelledData(OrderSummary):
    reason: Literal["rejected", "approval_timeout", "customer_cancelled"] = Field(
        description=(
            "rejected: the owner said no; approval_timeout: nobody answered in time; "
            "customer_cancelled: the customer cancelled before the owner decided (a value "
            "added within v1: a wider enum is a compatible change)."
        )
    )
    cancelled_at: AwareDatetime
    cancelled_by: Literal["customer", "owner", "nobody"] | None = Field(
        default=None,
        description="Who ended the order: the customer, the owner (rejected) or nobody (timeout).",
    )


CustomerRef = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_.:-]{1,128}$",
        description="The customer's id (their sign-in subject), never their name or address.",
    ),
]


class OrderCancellationRequestedData(ContractModel):
    order_id: OrderId
    customer_id: CustomerRef
    requested_at: AwareDatetime


class ApprovalWithdrawnData(ContractModel):
    order_id: OrderId
    withdrawn_at: AwareDatetime
    withdrawn_by: Literal["customer"] = "customer"


class OrderCancellationRefusedData(ContractModel):
    order_id: OrderId
    refused_at: AwareDatetime
    because: Literal["approved", "rejected", "expired"] = Field(
        description=(
            "approved / rejected: the owner decided first; expired: the approval window had closed."
        )
    )
    decided_at: AwareDatetime | None = Field(
        default=None, description="When the owner decided, or when the window closed."
    )


class FeedbackDueData(OrderSummary):
    due_at: AwareDatetime


EmailName = Literal["order_received", "shipment_confirmed", "order_cancelled", "feedback_request"]


class EmailOutcomeRecordedData(ContractModel):
    order_id: OrderId
    email: EmailName = Field(description="Which of the order's customer emails.")
    outcome: Literal["sent", "delivered", "failed", "complained", "suppressed"] = Field(
        description=(
            "sent: the mail service accepted it; delivered: the recipient's server took it; "
            "failed: refused, rejected or bounced; complained: the recipient marked it as "
            "spam; suppressed: not sent because the customer opted out of this kind."
        )
    )
    recorded_at: AwareDatetime


class ApprovalRemindedData(ContractModel):
    order_id: OrderId
    reminder: int = Field(ge=1, description="Which reminder this is, from 1.")
    reminders_planned: int = Field(ge=1, description="How many reminders the window holds.")
    reminded_at: AwareDatetime
    expires_at: AwareDatetime = Field(
        description="When the approval window closes: decisions are accepted until then."
    )
    escalated: bool = Field(description="This reminder also went to the backup approver.")


class ApprovalEscalatedData(ContractModel):
    order_id: OrderId
    escalated_at: AwareDatetime
    expires_at: AwareDatetime = Field(
        description="When the approval window closes: decisions are accepted until then."
    )


# --- events -----------------------------------------------------------------------------


class Event(ContractModel):
    """Base of every event: the ``detail`` of an EventBridge entry."""

    detail_type: ClassVar[str]
    source: ClassVar[str]
    version: ClassVar[int] = 1
    description: ClassVar[str]
    consumers: ClassVar[tuple[str, ...]]

    metadata: Metadata
    data: Any

    @classmethod
    def create(cls, data: Any, *, occurred_at: datetime | None = None) -> Self:
        """A new event for ``data``, correlated by its order id."""
        return cls(
            metadata=Metadata(
                event_id=uuid.uuid4(),
                event_version=cls.version,
                occurred_at=occurred_at or utc_now(),
                correlation_id=data.order_id,
            ),
            data=data,
        )

    @property
    def order_id(self) -> str:
        return str(self.data.order_id)

    def detail_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def schema_name(cls) -> str:
        return f"{cls.detail_type}.v{cls.version}"


class OrderPlaced(Event):
    detail_type = "OrderPlaced"
    source = "shop.orders"
    description = "A customer placed an order; it now waits for the owner's approval."
    consumers = ("workflow", "notifications", "orders")
    data: OrderPlacedData


class ApprovalRequested(Event):
    detail_type = "ApprovalRequested"
    source = "shop.workflow"
    description = "The workflow asks the store owner to approve the shipment before a deadline."
    consumers = ("approvals", "orders")
    data: ApprovalRequestedData


class OrderApproved(Event):
    detail_type = "OrderApproved"
    source = "shop.approvals"
    description = "The store owner approved the shipment."
    consumers = ("workflow", "orders")
    data: OrderApprovedData


class OrderRejected(Event):
    detail_type = "OrderRejected"
    source = "shop.approvals"
    description = "The store owner rejected the shipment."
    consumers = ("workflow", "orders")
    data: OrderRejectedData


class OrderShipped(Event):
    detail_type = "OrderShipped"
    source = "shop.workflow"
    description = "The order was approved and handed over for shipment."
    consumers = ("orders", "notifications")
    data: OrderShippedData


class OrderCancelled(Event):
    detail_type = "OrderCancelled"
    source = "shop.workflow"
    description = (
        "The order was cancelled because the owner rejected it, nobody answered in time or "
        "the customer cancelled it; the order is deleted."
    )
    consumers = ("orders", "approvals", "notifications")
    data: OrderCancelledData


class OrderCancellationRequested(Event):
    detail_type = "OrderCancellationRequested"
    source = "shop.orders"
    description = "A signed-in customer asked to cancel their order before the owner decided."
    consumers = ("approvals", "orders")
    data: OrderCancellationRequestedData


class ApprovalWithdrawn(Event):
    detail_type = "ApprovalWithdrawn"
    source = "shop.approvals"
    description = (
        "The customer's cancellation won over the owner's decision and the window's end: the "
        "approval is withdrawn and the workflow cancels the order."
    )
    consumers = ("workflow", "orders")
    data: ApprovalWithdrawnData


class OrderCancellationRefused(Event):
    detail_type = "OrderCancellationRefused"
    source = "shop.approvals"
    description = (
        "The customer's cancellation came too late: the owner had decided or the approval "
        "window had closed."
    )
    consumers = ("orders",)
    data: OrderCancellationRefusedData


class FeedbackDue(Event):
    detail_type = "FeedbackDue"
    source = "shop.workflow"
    description = "A day after shipment: time to ask the customer for feedback."
    consumers = ("orders", "notifications")
    data: FeedbackDueData


class EmailOutcomeRecorded(Event):
    detail_type = "EmailOutcomeRecorded"
    source = "shop.notifications"
    description = (
        "What became of one of an order's customer emails: sent, then delivered, bounced or "
        "complained about as the mail service reports it. Carries no address."
    )
    consumers = ("orders",)
    data: EmailOutcomeRecordedData


class ApprovalReminded(Event):
    detail_type = "ApprovalReminded"
    source = "shop.approvals"
    description = (
        "Nobody has decided yet: the store owner was reminded, with the time left "
        "(the last reminder may also go to the backup approver)."
    )
    consumers = ("orders",)
    data: ApprovalRemindedData


class ApprovalEscalated(Event):
    detail_type = "ApprovalEscalated"
    source = "shop.approvals"
    description = (
        "Nobody has decided by the last reminder: the approval request also went to the "
        "backup approver, whose links decide as the owner's do."
    )
    consumers = ("orders",)
    data: ApprovalEscalatedData


ALL_EVENTS: tuple[type[Event], ...] = (
    OrderPlaced,
    ApprovalRequested,
    OrderApproved,
    OrderRejected,
    OrderCancellationRequested,
    ApprovalWithdrawn,
    OrderCancellationRefused,
    OrderShipped,
    OrderCancelled,
    FeedbackDue,
    EmailOutcomeRecorded,
    ApprovalReminded,
    ApprovalEscalated,
)
EVENTS_BY_DETAIL_TYPE: dict[str, type[Event]] = {e.detail_type: e for e in ALL_EVENTS}


class UnknownEventError(ValueError):
    """An event whose detail-type is not part of the contract."""


def parse_detail(detail_type: str, detail: Any) -> Event:
    """The typed event for an EventBridge ``detail-type`` and ``detail``.

    Raises ``UnknownEventError`` for a detail-type outside the contract and pydantic's
    ``ValidationError`` (with field-level messages) for a detail that does not fit its model.
    """
    try:
        model = EVENTS_BY_DETAIL_TYPE[detail_type]
    except KeyError:
        raise UnknownEventError(f"unknown detail-type {detail_type!r}") from None
    return model.model_validate(detail)
