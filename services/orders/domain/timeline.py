"""An order's timeline: each step of its journey with its time, built from the events the
orders service consumes (never from another service's tables).

Every event is recorded once, by its event id, so a redelivery adds nothing. The timeline
outlives the order: a cancelled order is deleted at once, but its timeline is kept for the
retention period after the cancellation and then expires (a DynamoDB TTL). Steps hold no
email address, name or item: only what happened, when, and the owner's comment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from events.models import utc_now
from services.orders.domain.ports import OrdersStore, TimelineStore
from services.orders.journey_events import (
    ApprovalEscalated,
    ApprovalReminded,
    ApprovalRequested,
    ApprovalWithdrawn,
    EmailOutcomeRecorded,
    FeedbackDue,
    JourneyEvent,
    OrderApproved,
    OrderCancellationRefused,
    OrderCancellationRequested,
    OrderCancelled,
    OrderRejected,
    OrderShipped,
    Placed,
)

DEFAULT_RETENTION_DAYS = 90

StepName = Literal[
    "placed",
    "approval_requested",
    "reminded",
    "escalated",
    "approved",
    "rejected",
    "cancellation_requested",
    "approval_withdrawn",
    "cancellation_refused",
    "cancelled",
    "shipped",
    "feedback_requested",
    "email",
]
# Where a step sits among others of the same instant (an email's outcome after the step that
# sent it, a decision before what follows from it).
STEP_ORDER: tuple[str, ...] = StepName.__args__  # type: ignore[attr-defined]

# Who cancelled, when the event does not say: the reason tells.
CANCELLED_BY_REASON = {
    "rejected": "owner",
    "approval_timeout": "nobody",
    "customer_cancelled": "customer",
}
EMAIL_NAMES = {
    "order_received": "order confirmation",
    "shipment_confirmed": "shipment confirmation",
    "order_cancelled": "cancellation email",
    "feedback_request": "feedback request",
}


class TimelineStep(BaseModel):
    """One step of an order's journey."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    at: AwareDatetime = Field(description="When it happened (RFC 3339, UTC).")
    step: StepName
    text: str = Field(description="The step in a sentence, for people.")
    email: str | None = Field(
        default=None,
        description="For an email step: order_received, shipment_confirmed, "
        "order_cancelled or feedback_request.",
    )
    outcome: str | None = Field(
        default=None,
        description="For an email step: sent, delivered, failed, complained or suppressed.",
    )
    comment: str | None = Field(default=None, description="The owner's comment on a decision.")
    reason: str | None = Field(
        default=None, description="Why it was cancelled, or why a cancellation was refused."
    )
    by: str | None = Field(
        default=None, description="Who decided or cancelled: owner, backup, customer, nobody."
    )
    reminder: int | None = Field(default=None, description="Which reminder (1-based).")
    reminders_planned: int | None = None
    deadline: AwareDatetime | None = Field(
        default=None, description="When the approval window closes."
    )


class Timeline(BaseModel):
    """An order's journey, step by step, oldest first."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    order_id: str
    steps: list[TimelineStep]
    retention: str = Field(description="How long this timeline is kept, in a sentence.")
    cancelled_order_retention_days: int = Field(
        description="How many days a cancelled order's timeline is kept after the cancellation."
    )
    expires_at: AwareDatetime | None = Field(
        default=None,
        description="When this timeline will be deleted (set once the order is cancelled).",
    )


@dataclass(frozen=True)
class TimelineHead:
    """Whose order it is and, once it is cancelled, when its timeline expires."""

    customer_id: str | None
    expires_at: datetime | None = None


class Recorded(StrEnum):
    RECORDED = "recorded"
    ALREADY_RECORDED = "already_recorded"  # a redelivery: its event id is already there


def step_of(event: JourneyEvent) -> TimelineStep:  # noqa: PLR0911 - one answer per event
    """The timeline step an event stands for."""
    match event:
        case Placed(data=d):
            return TimelineStep(at=d.placed_at, step="placed", text="Order placed")
        case ApprovalRequested(data=d):
            return TimelineStep(
                at=d.requested_at,
                step="approval_requested",
                text=f"Approval requested from the owner (until {_clock(d.approval_deadline)})",
                deadline=d.approval_deadline,
            )
        case ApprovalReminded(data=d):
            also = " and to the backup approver" if d.escalated else ""
            return TimelineStep(
                at=d.reminded_at,
                step="reminded",
                text=f"Reminder {d.reminder} of {d.reminders_planned} sent to the owner{also}",
                reminder=d.reminder,
                reminders_planned=d.reminders_planned,
                deadline=d.expires_at,
            )
        case ApprovalEscalated(data=d):
            return TimelineStep(
                at=d.escalated_at,
                step="escalated",
                text="Approval request escalated to the backup approver",
                deadline=d.expires_at,
            )
        case OrderApproved(data=d) | OrderRejected(data=d):
            decision = "approved" if isinstance(event, OrderApproved) else "rejected"
            by = d.decided_by or "owner"
            said = f': "{d.comment}"' if d.comment else ""
            who = "the backup approver" if by == "backup" else "the owner"
            return TimelineStep(
                at=d.decided_at,
                step=decision,
                text=f"{decision.capitalize()} by {who}{said}",
                comment=d.comment,
                by=by,
            )
        case OrderCancellationRequested(data=d):
            return TimelineStep(
                at=d.requested_at,
                step="cancellation_requested",
                text="The customer asked to cancel",
                by="customer",
            )
        case ApprovalWithdrawn(data=d):
            return TimelineStep(
                at=d.withdrawn_at,
                step="approval_withdrawn",
                text=f"Approval request withdrawn by the {d.withdrawn_by}",
                by=d.withdrawn_by,
            )
        case OrderCancellationRefused(data=d):
            return TimelineStep(
                at=d.refused_at,
                step="cancellation_refused",
                text=f"Cancellation refused: the order was already {d.because}",
                reason=d.because,
            )
        case OrderCancelled(data=d):
            by = d.cancelled_by or CANCELLED_BY_REASON.get(d.reason, "unknown")
            return TimelineStep(
                at=d.cancelled_at,
                step="cancelled",
                text=f"Cancelled ({d.reason.replace('_', ' ')}; by {by})",
                reason=d.reason,
                by=by,
            )
        case OrderShipped(data=d):
            return TimelineStep(at=d.shipped_at, step="shipped", text="Shipped")
        case FeedbackDue(data=d):
            return TimelineStep(at=d.due_at, step="feedback_requested", text="Feedback requested")
        case EmailOutcomeRecorded(data=d):
            name = EMAIL_NAMES.get(d.email, d.email.replace("_", " "))
            return TimelineStep(
                at=d.recorded_at,
                step="email",
                text=f"{name.capitalize()} {d.outcome}",
                email=d.email,
                outcome=d.outcome,
            )
    raise TypeError(f"no timeline step for {event.detail_type}")


def _clock(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


# An email's outcomes of one instant: sent before what became of it.
OUTCOME_ORDER = ("sent", "delivered", "complained", "failed", "suppressed")


def in_order(steps: list[TimelineStep]) -> list[TimelineStep]:
    """Oldest first; steps of one instant in journey order."""

    def outcome_rank(step: TimelineStep) -> int:
        outcome = step.outcome or ""
        return OUTCOME_ORDER.index(outcome) if outcome in OUTCOME_ORDER else len(OUTCOME_ORDER)

    return sorted(steps, key=lambda s: (s.at, STEP_ORDER.index(s.step), outcome_rank(s)))


def record(
    event: JourneyEvent,
    *,
    timeline: TimelineStore,
    orders: OrdersStore,
    retention: timedelta,
) -> Recorded:
    """Add the event's step to its order's timeline, once per event id.

    OrderPlaced also records whose order it is (from the orders table: the event carries no
    customer id), which is what the API checks after the order is gone. OrderCancelled starts
    the retention clock.
    """
    step = step_of(event)
    order_id = event.order_id
    if isinstance(event, Placed):
        order = orders.get(order_id)
        if order is not None and order.customer_id is not None:
            timeline.set_owner(order_id, order.customer_id)
    added = timeline.add(order_id, str(event.metadata.event_id), step)
    if isinstance(event, OrderCancelled):
        timeline.expire_at(order_id, event.data.cancelled_at + retention)
    return Recorded.RECORDED if added else Recorded.ALREADY_RECORDED


def retention_text(days: int) -> str:
    return (
        f"A cancelled order's timeline is kept for {days} days after the cancellation, then "
        "deleted; the timeline of an order that was not cancelled is kept with the order."
    )


def read(
    order_id: str,
    *,
    customer_id: str,
    timeline: TimelineStore,
    retention_days: int,
    now: Callable[[], datetime] = utc_now,
) -> Timeline | None:
    """The order's timeline for its own customer; None for anyone else, an unknown order or
    one whose retention has run out (TTL deletes lazily, so expiry is checked here too)."""
    head = timeline.head(order_id)
    if head is None or head.customer_id != customer_id:
        return None
    if head.expires_at is not None and head.expires_at <= now():
        return None
    return Timeline(
        order_id=order_id,
        steps=in_order(timeline.steps(order_id)),
        retention=retention_text(retention_days),
        cancelled_order_retention_days=retention_days,
        expires_at=head.expires_at,
    )
