"""The orders service's own view of every event of an order's journey: the timeline reads them.

These are consumer models, not the contract (``events.models``): each holds only the fields
the timeline shows and ignores the rest, so a producer may add fields, or new values of a
reason (a word), without breaking the timeline, and a detail-type is read the same way
whether or not ``events.models`` defines it. Each names the producer the contract gives its
detail-type: an event from anyone else is refused like in every other consumer.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import AwareDatetime, Field, ValidationError

from events.models import Comment, ContractModel, Event, OrderId
from services.common.envelope import (
    BusEnvelope,
    ForeignSourceError,
    MalformedEventError,
    UnexpectedEventError,
)

# A reason, outcome or role as a producer spells it: one lower-case word (snake_case). New
# words are shown as they are instead of failing the timeline.
Word = Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,39}$")]
Count = Annotated[int, Field(ge=0, le=1000)]


class _Data(ContractModel):
    order_id: OrderId


class JourneyEvent(Event):
    """One event of the journey as the timeline reads it."""

    version: ClassVar[int] = 1
    consumers: ClassVar[tuple[str, ...]] = ("orders",)
    description: ClassVar[str] = "Read by the orders service's timeline."
    data: _Data


class PlacedData(_Data):
    placed_at: AwareDatetime


class Placed(JourneyEvent):
    detail_type = "OrderPlaced"
    source = "shop.orders"
    data: PlacedData


class ApprovalRequestedData(_Data):
    requested_at: AwareDatetime
    approval_deadline: AwareDatetime


class ApprovalRequested(JourneyEvent):
    detail_type = "ApprovalRequested"
    source = "shop.workflow"
    data: ApprovalRequestedData


class RemindedData(_Data):
    reminder: Count
    reminders_planned: Count
    reminded_at: AwareDatetime
    expires_at: AwareDatetime
    escalated: bool = False


class ApprovalReminded(JourneyEvent):
    detail_type = "ApprovalReminded"
    source = "shop.approvals"
    data: RemindedData


class EscalatedData(_Data):
    escalated_at: AwareDatetime
    expires_at: AwareDatetime


class ApprovalEscalated(JourneyEvent):
    detail_type = "ApprovalEscalated"
    source = "shop.approvals"
    data: EscalatedData


class DecisionData(_Data):
    decided_at: AwareDatetime
    comment: Comment | None = None
    decided_by: Word | None = None  # owner | backup


class OrderApproved(JourneyEvent):
    detail_type = "OrderApproved"
    source = "shop.approvals"
    data: DecisionData


class OrderRejected(JourneyEvent):
    detail_type = "OrderRejected"
    source = "shop.approvals"
    data: DecisionData


class CancellationRequestedData(_Data):
    requested_at: AwareDatetime


class OrderCancellationRequested(JourneyEvent):
    detail_type = "OrderCancellationRequested"
    source = "shop.orders"
    data: CancellationRequestedData


class WithdrawnData(_Data):
    withdrawn_at: AwareDatetime
    withdrawn_by: Word = "customer"


class ApprovalWithdrawn(JourneyEvent):
    detail_type = "ApprovalWithdrawn"
    source = "shop.approvals"
    data: WithdrawnData


class RefusedData(_Data):
    refused_at: AwareDatetime
    because: Word  # approved | rejected | expired
    decided_at: AwareDatetime | None = None


class OrderCancellationRefused(JourneyEvent):
    detail_type = "OrderCancellationRefused"
    source = "shop.approvals"
    data: RefusedData


class CancelledData(_Data):
    reason: Word  # rejected | approval_timeout | customer_cancelled
    cancelled_at: AwareDatetime
    cancelled_by: Word | None = None  # customer | owner | nobody


class OrderCancelled(JourneyEvent):
    detail_type = "OrderCancelled"
    source = "shop.workflow"
    data: CancelledData


class ShippedData(_Data):
    shipped_at: AwareDatetime


class OrderShipped(JourneyEvent):
    detail_type = "OrderShipped"
    source = "shop.workflow"
    data: ShippedData


class FeedbackDueData(_Data):
    due_at: AwareDatetime


class FeedbackDue(JourneyEvent):
    detail_type = "FeedbackDue"
    source = "shop.workflow"
    data: FeedbackDueData


class EmailOutcomeData(_Data):
    email: Word  # order_received | shipment_confirmed | order_cancelled | feedback_request
    outcome: Word  # sent | delivered | failed | complained | suppressed
    recorded_at: AwareDatetime


class EmailOutcomeRecorded(JourneyEvent):
    detail_type = "EmailOutcomeRecorded"
    source = "shop.notifications"
    data: EmailOutcomeData


JOURNEY_EVENTS: tuple[type[JourneyEvent], ...] = (
    Placed,
    ApprovalRequested,
    ApprovalReminded,
    ApprovalEscalated,
    OrderApproved,
    OrderRejected,
    OrderCancellationRequested,
    ApprovalWithdrawn,
    OrderCancellationRefused,
    OrderCancelled,
    OrderShipped,
    FeedbackDue,
    EmailOutcomeRecorded,
)
BY_DETAIL_TYPE: dict[str, type[JourneyEvent]] = {e.detail_type: e for e in JOURNEY_EVENTS}


def parse_journey_record(record: SQSRecord, accepts: tuple[type[Any], ...]) -> JourneyEvent:
    """The journey event an SQS record carries (an EventBridge event), checked like every
    consumer checks: a valid envelope, a detail-type the timeline reads, from its producer."""
    try:
        envelope = BusEnvelope.model_validate_json(record.body)
    except ValidationError as error:
        raise MalformedEventError("EventBridge envelope", error) from None
    model = BY_DETAIL_TYPE.get(envelope.detail_type)
    if model is None or not issubclass(model, accepts):
        raise UnexpectedEventError(f"{envelope.detail_type} is not handled here")
    if envelope.source != model.source:
        raise ForeignSourceError(envelope.detail_type, envelope.source, model.source)
    try:
        return model.model_validate(envelope.detail)
    except ValidationError as error:
        raise MalformedEventError(envelope.detail_type, error) from None
