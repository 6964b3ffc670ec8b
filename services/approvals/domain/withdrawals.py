"""A customer's cancellation, raced against the owner's decision and the window's end.

The approval record is the one arbiter: the cancellation wins only with the same conditional
write ("still pending") a decision makes, so exactly one of them counts. A win is published as
ApprovalWithdrawn (the workflow relay then fails the waiting task and the workflow cancels the
order), a loss as OrderCancellationRefused saying what came first.

A cancellation can come before the approval is even requested: it then takes the order's
lookup item, so no approval (and no owner message) can follow, and the ApprovalRequested that
comes later republishes the same ApprovalWithdrawn, once the relay holds the task token.

Event ids derive from the request's own id, so a redelivered request publishes the very same
answer and consumers deduplicate it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from events.models import (
    ApprovalWithdrawn,
    ApprovalWithdrawnData,
    Metadata,
    OrderCancellationRefused,
    OrderCancellationRefusedData,
    OrderCancellationRequested,
)
from events.publisher import EventPublisher
from services.approvals.domain.ports import ApprovalStore, EarlyWithdrawal
from services.approvals.models import Approval, ApprovalStatus

_ANSWERS = uuid.UUID("8f6d0c52-3f0e-4d7b-9a55-2b1f7c0e9d41")  # namespace of the answers' ids

WITHDRAWN = "withdrawn"
WITHDRAWN_BEFORE_REQUEST = "withdrawn-before-request"
REFUSED = "refused"


def answer_cancellation(
    event: OrderCancellationRequested,
    *,
    store: ApprovalStore,
    publisher: EventPublisher,
    now: datetime,
) -> str:
    """Withdraw the order's approval if nobody decided first; publish the outcome either way."""
    order_id = event.data.order_id
    withdrawal_id = _answer_id("withdrawn", event)
    approval = store.find_by_order(order_id)
    if approval is None:
        early = EarlyWithdrawal(order_id=order_id, withdrawn_at=now, event_id=withdrawal_id)
        if store.withdraw_before_request(early):
            publisher.publish([withdrawn_event(early)])
            return WITHDRAWN_BEFORE_REQUEST
        approval = store.find_by_order(order_id)
        if approval is None:
            existing = store.early_withdrawal(order_id)
            if existing is None:
                raise LookupError(f"order {order_id} has an approval lookup but no approval")
            publisher.publish([withdrawn_event(existing)])
            return WITHDRAWN_BEFORE_REQUEST
    if approval.is_open and now < approval.deadline:
        if store.withdraw(approval.approval_id, now, withdrawal_id):
            won = EarlyWithdrawal(order_id, withdrawn_at=now, event_id=withdrawal_id)
            publisher.publish([withdrawn_event(won)])
            return WITHDRAWN
        # The owner (or the workflow's cancellation) came between our read and our write.
        approval = store.get(approval.approval_id) or approval
    withdrawal = withdrawal_of(approval)
    if withdrawal is not None:
        publisher.publish([withdrawn_event(withdrawal)])  # a redelivery: the same answer
        return WITHDRAWN
    publisher.publish([_refusal(event, approval, now)])
    return REFUSED


def withdrawal_of(approval: Approval) -> EarlyWithdrawal | None:
    """The customer's withdrawal that closed ``approval``, if one did."""
    if approval.withdrawal_event_id is None or approval.cancelled_at is None:
        return None
    return EarlyWithdrawal(approval.order_id, approval.cancelled_at, approval.withdrawal_event_id)


def withdrawn_event(withdrawal: EarlyWithdrawal) -> ApprovalWithdrawn:
    return ApprovalWithdrawn(
        metadata=Metadata(
            event_id=withdrawal.event_id,
            event_version=ApprovalWithdrawn.version,
            occurred_at=withdrawal.withdrawn_at,
            correlation_id=withdrawal.order_id,
        ),
        data=ApprovalWithdrawnData(
            order_id=withdrawal.order_id, withdrawn_at=withdrawal.withdrawn_at
        ),
    )


def _refusal(
    event: OrderCancellationRequested, approval: Approval, now: datetime
) -> OrderCancellationRefused:
    because: Literal["approved", "rejected", "expired"]
    if approval.status is ApprovalStatus.APPROVED:
        because, decided_at = "approved", approval.decided_at
    elif approval.status is ApprovalStatus.REJECTED:
        because, decided_at = "rejected", approval.decided_at
    else:
        # Cancelled because nobody answered, or still pending past the decision deadline.
        because, decided_at = "expired", approval.cancelled_at or approval.deadline
    return OrderCancellationRefused(
        metadata=Metadata(
            event_id=_answer_id("refused", event),
            event_version=OrderCancellationRefused.version,
            occurred_at=now,
            correlation_id=approval.order_id,
        ),
        data=OrderCancellationRefusedData(
            order_id=approval.order_id, refused_at=now, because=because, decided_at=decided_at
        ),
    )


def _answer_id(kind: str, event: OrderCancellationRequested) -> uuid.UUID:
    return uuid.uuid5(_ANSWERS, f"{kind}:{event.metadata.event_id}")
