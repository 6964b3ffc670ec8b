"""Opening an approval when the workflow asks for one, and closing it when the order is cancelled.

Both arrive at least once and in any order, so each step is keyed by the order id:
one approval per order (the store's lookup item), one owner message per approval (the
``owner_notified`` flag), and a cancellation that arrives first leaves a closed approval behind
so a late ApprovalRequested cannot ask the owner about a cancelled order. A customer's
cancellation is raced against the owner's decision in ``withdrawals``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from events.models import (
    ApprovalRequested,
    OrderCancellationRequested,
    OrderCancelled,
    OrderSummary,
)
from events.publisher import EventPublisher
from services.approvals.domain.ports import ApprovalStore, OwnerLinks, OwnerNotifier, OwnerRequest
from services.approvals.domain.reminders import ReminderSchedule
from services.approvals.domain.withdrawals import (
    WITHDRAWN_BEFORE_REQUEST,
    answer_cancellation,
    withdrawn_event,
)
from services.approvals.links import LinkSigner, new_approval_id
from services.approvals.models import Approval, ApprovalStatus, Decision

OWNER_NOTIFIED = "owner-notified"

WorkflowEvent = ApprovalRequested | OrderCancelled | OrderCancellationRequested
WORKFLOW_EVENTS: tuple[type[WorkflowEvent], ...] = (
    ApprovalRequested,
    OrderCancelled,
    OrderCancellationRequested,
)


@dataclass(frozen=True)
class LinkSettings:
    base_url: str
    grace_seconds: int
    # Decisions close this long before the workflow's deadline (see Approval.deadline).
    decision_margin: timedelta


@dataclass(frozen=True)
class RequestDependencies:
    """What opening an approval needs (closing one needs only the store; answering a
    customer's cancellation, the store and the publisher)."""

    store: ApprovalStore
    notifier: OwnerNotifier
    signer: LinkSigner
    links: LinkSettings
    publisher: EventPublisher
    reminders: ReminderSchedule | None = None


def on_workflow_event(event: WorkflowEvent, deps: RequestDependencies, *, now: datetime) -> str:
    """Open the approval the workflow asks for, or close it when the order is cancelled."""
    if isinstance(event, OrderCancelled):
        return close_on_cancel(event, store=deps.store)
    if isinstance(event, OrderCancellationRequested):
        return answer_cancellation(event, store=deps.store, publisher=deps.publisher, now=now)
    return request_approval(event, deps, now=now)


def request_approval(event: ApprovalRequested, deps: RequestDependencies, *, now: datetime) -> str:
    """Record a pending approval for the order and send the owner the two signed links."""
    store = deps.store
    data = event.data
    approval = store.find_by_order(data.order_id)
    if approval is None:
        candidate = Approval(
            approval_id=new_approval_id(),
            order=summary_of(data),
            requested_at=data.requested_at,
            deadline=data.approval_deadline - deps.links.decision_margin,
            link_expires=int(data.approval_deadline.timestamp()) + deps.links.grace_seconds,
            status=ApprovalStatus.PENDING,
        )
        # A concurrent delivery of the same event may win the conditional write: use its record.
        found = candidate if store.create(candidate) else store.find_by_order(data.order_id)
        if found is None:
            return _withdrawn_before_request(deps, data.order_id)
        approval = found
    if not approval.is_open:
        return "already-closed"
    if approval.owner_notified:
        return "duplicate"
    if now >= approval.deadline:
        # A very late delivery (e.g. a DLQ redrive): the window for decisions has closed.
        return "past-deadline"
    if deps.reminders is not None:
        # Before the owner is asked: a redelivery after a crash finds the owner notified
        # and would never set them.
        deps.reminders.start(approval, now)
    links = signed_links(deps.signer, deps.links.base_url, approval)
    deps.notifier.send(OwnerRequest(approval, links))
    # Marked after sending: a crash in between means one more message, never none.
    store.mark_notified(approval.approval_id)
    return OWNER_NOTIFIED


def close_on_cancel(event: OrderCancelled, *, store: ApprovalStore) -> str:
    """Close the order's approval: cancelled if still open, noted next to a decision if not."""
    data = event.data
    approval = store.find_by_order(data.order_id)
    if approval is None:
        closed = Approval(
            approval_id=new_approval_id(),
            order=summary_of(data),
            requested_at=data.cancelled_at,
            deadline=data.cancelled_at,
            link_expires=int(data.cancelled_at.timestamp()),
            status=ApprovalStatus.CANCELLED,
            cancelled_at=data.cancelled_at,
            cancel_reason=data.reason,
        )
        if store.create(closed):
            return "cancelled-before-request"
        found = store.find_by_order(data.order_id)
        if found is None:
            if store.early_withdrawal(data.order_id) is not None:
                return "already-withdrawn"
            found = _existing(store, data.order_id)
        approval = found
    if approval.is_open:
        if store.cancel_pending(approval.approval_id, data.reason, data.cancelled_at):
            return "cancelled"
        # The owner decided in the meantime: fall through and note the cancellation.
        approval = store.get(approval.approval_id) or approval
    if approval.cancelled_at is not None:
        return "already-cancelled"
    store.note_cancellation(approval.approval_id, data.reason, data.cancelled_at)
    return "cancellation-noted"


def signed_links(signer: LinkSigner, base_url: str, approval: Approval) -> OwnerLinks:
    return OwnerLinks(
        approve=signer.url(base_url, approval.approval_id, Decision.APPROVE, approval.link_expires),
        reject=signer.url(base_url, approval.approval_id, Decision.REJECT, approval.link_expires),
    )


def summary_of(data: OrderSummary) -> OrderSummary:
    """Just the order summary (the event data's own fields are not part of the record)."""
    return OrderSummary.model_validate(data.model_dump(include=set(OrderSummary.model_fields)))


def _withdrawn_before_request(deps: RequestDependencies, order_id: str) -> str:
    """The customer cancelled before this request: tell the workflow again, now that the relay
    holds the task token it can fail (the relay announces an approval only after keeping it)."""
    withdrawal = deps.store.early_withdrawal(order_id)
    if withdrawal is None:
        raise LookupError(f"order {order_id} has an approval lookup but no approval")
    deps.publisher.publish([withdrawn_event(withdrawal)])
    return WITHDRAWN_BEFORE_REQUEST


def _existing(store: ApprovalStore, order_id: str) -> Approval:
    approval = store.find_by_order(order_id)
    if approval is None:
        # The lookup item exists but its approval does not: only a half-expired pair does that.
        raise LookupError(f"order {order_id} has an approval lookup but no approval")
    return approval
