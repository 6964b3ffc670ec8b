"""How the workflow's events move an order: status forward, or deleted on cancellation."""

from __future__ import annotations

from enum import StrEnum

from events.models import ApprovalRequested, FeedbackDue, OrderCancelled, OrderShipped
from services.orders.domain.ports import OrdersStore, StatusChange
from services.orders.models import OrderStatus

StatusEvent = ApprovalRequested | OrderShipped | FeedbackDue
WorkflowEvent = StatusEvent | OrderCancelled

STATUS_EVENTS: tuple[type[StatusEvent], ...] = (ApprovalRequested, OrderShipped, FeedbackDue)
WORKFLOW_EVENTS: tuple[type[WorkflowEvent], ...] = (*STATUS_EVENTS, OrderCancelled)


class Deletion(StrEnum):
    DELETED = "deleted"
    ALREADY_GONE = "already_gone"


def status_after(event: StatusEvent) -> OrderStatus:
    if isinstance(event, ApprovalRequested):
        return OrderStatus.AWAITING_APPROVAL
    if isinstance(event, OrderShipped):
        return OrderStatus.SHIPPED
    return OrderStatus.FEEDBACK_REQUESTED


def apply_status(event: StatusEvent, *, store: OrdersStore) -> StatusChange:
    """Move the order to the status the event implies, if that is forward.

    ``updated_at`` is when the event happened, not when it arrived, so a redelivery changes
    nothing at all.
    """
    return store.advance_status(event.order_id, status_after(event), event.metadata.occurred_at)


def cancel(event: OrderCancelled, *, store: OrdersStore) -> Deletion:
    """A cancelled order is deleted (its GET answers 404 from now on)."""
    return Deletion.DELETED if store.delete(event.order_id) else Deletion.ALREADY_GONE


def apply_workflow_event(event: WorkflowEvent, *, store: OrdersStore) -> StatusChange | Deletion:
    if isinstance(event, OrderCancelled):
        return cancel(event, store=store)
    return apply_status(event, store=store)
