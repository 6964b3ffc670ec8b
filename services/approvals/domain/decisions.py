"""Showing an approval to whoever opens a link, and recording the owner's decision.

``view`` only reads (mail scanners open links). ``decide`` records the decision with a
conditional write, so the first one wins, then publishes it. The record keeps a
``decision_published`` flag and the event's id: if publishing fails, the same decision sent
again republishes the very same event instead of being lost, while the other decision still
loses to the recorded one.

Nothing is recorded or republished once the approval's deadline has passed (it closes a
safety margin before the workflow's own): a decision the owner is told about must still find
the workflow waiting.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from events.models import (
    Metadata,
    OrderApproved,
    OrderApprovedData,
    OrderRejected,
    OrderRejectedData,
)
from events.publisher import EventPublisher
from services.approvals.domain.answers import (
    AlreadyDecided,
    AwaitingConfirmation,
    Cancelled,
    DecisionRecorded,
    LinkAnswer,
    UnknownApproval,
    WindowClosed,
)
from services.approvals.domain.ports import ApprovalStore
from services.approvals.models import STATUS_OF_DECISION, Approval, Approver, Decision


class DecisionNotPublishedError(RuntimeError):
    """The decision is recorded but not on the bus; sending the same decision again retries."""

    def __init__(self, approval: Approval) -> None:
        self.approval = approval
        super().__init__(f"decision for order {approval.order_id} recorded but not published")


def view(store: ApprovalStore, approval_id: str, decision: Decision, now: datetime) -> LinkAnswer:
    """What a GET on a valid link shows. Never changes anything."""
    found = _actionable(store.get(approval_id), decision, now)
    if not isinstance(found, _Actionable):
        return found
    return AwaitingConfirmation(found.approval, decision, resume=found.resume)


def decide(
    store: ApprovalStore,
    publisher: EventPublisher,
    *,
    approval_id: str,
    decision: Decision,
    comment: str | None,
    now: datetime,
    approver: Approver = Approver.OWNER,
) -> LinkAnswer:
    """Record ``decision`` (made through ``approver``'s links) if nobody was first, and put
    it on the bus.

    Raises ``DecisionNotPublishedError`` when the event could not be published; the decision
    stays recorded and the same request sent again publishes it.
    """
    found = _actionable(store.get(approval_id), decision, now)
    if isinstance(found, _Actionable) and not found.resume:
        status = STATUS_OF_DECISION[decision]
        event_id = uuid.uuid4()
        if store.record_decision(approval_id, status, now, comment, event_id, decided_by=approver):
            recorded = found.approval.model_copy(
                update={
                    "status": status,
                    "decided_at": now,
                    "decided_by": approver,
                    "comment": comment,
                    "decision_event_id": event_id,
                    "decision_published": False,
                }
            )
            return _publish(store, publisher, recorded)
        # Another request decided (or the order was cancelled) between our read and write;
        # an approval still open here has gone from the table since: it counts as settled.
        approval = store.get(approval_id) or found.approval
        found = _settled(approval) if approval.is_open else _actionable(approval, decision, now)
    if not isinstance(found, _Actionable):
        return found
    return _publish(store, publisher, found.approval)


def decision_event(approval: Approval) -> OrderApproved | OrderRejected:
    """The event for a recorded decision; the same one however often it is built."""
    if approval.decided_at is None or approval.decision_event_id is None:
        raise ValueError(f"approval for order {approval.order_id} has no recorded decision")
    event_type = OrderApproved if approval.decision is Decision.APPROVE else OrderRejected
    metadata = Metadata(
        event_id=approval.decision_event_id,
        event_version=event_type.version,
        occurred_at=approval.decided_at,
        correlation_id=approval.order_id,
    )
    fields = {
        "order_id": approval.order_id,
        "decided_at": approval.decided_at,
        "comment": approval.comment,
        "decided_by": approval.decided_by.value if approval.decided_by else None,
    }
    if event_type is OrderApproved:
        return OrderApproved(metadata=metadata, data=OrderApprovedData(**fields))
    return OrderRejected(metadata=metadata, data=OrderRejectedData(**fields))


def _publish(store: ApprovalStore, publisher: EventPublisher, approval: Approval) -> LinkAnswer:
    try:
        publisher.publish([decision_event(approval)])
    except Exception as error:
        # Whatever went wrong (failed entries, throttling, the network), the decision is
        # recorded and must not be lost: the caller offers the same decision again.
        raise DecisionNotPublishedError(approval) from error
    store.mark_published(approval.approval_id)
    return DecisionRecorded(approval.model_copy(update={"decision_published": True}))


def _awaits_republish(approval: Approval, decision: Decision) -> bool:
    # Once the order is cancelled the workflow has ended: there is nobody left to tell.
    return (
        approval.decision is decision
        and not approval.decision_published
        and approval.cancelled_at is None
    )


@dataclass(frozen=True)
class _Actionable:
    """An approval a link can still act on: open, or (``resume``) holding this very decision,
    recorded but not yet published."""

    approval: Approval
    resume: bool


def _actionable(
    approval: Approval | None, decision: Decision, now: datetime
) -> _Actionable | LinkAnswer:
    """The approval a link for ``decision`` can act on, or the answer when it can change
    nothing: unknown, decided or cancelled, or past the deadline (too close to the
    workflow's timer: a decision confirmed now might reach nobody, and one recorded but never
    confirmed to the owner is left to the workflow's timeout)."""
    if approval is None:
        return UnknownApproval()
    resume = _awaits_republish(approval, decision)
    if not (approval.is_open or resume):
        return _settled(approval)
    if now >= approval.deadline:
        return WindowClosed(approval)
    return _Actionable(approval, resume=not approval.is_open)


def _settled(approval: Approval) -> LinkAnswer:
    if approval.cancelled_at is not None:
        return Cancelled(approval)
    return AlreadyDecided(approval)
