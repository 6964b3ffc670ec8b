"""What domain code needs from the outside world; fakes in the unit tests, boto3 in AWS."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.approvals.models import Approval, ApprovalStatus, Approver, CancelReason


@dataclass(frozen=True)
class EarlyWithdrawal:
    """A customer's cancellation that came before the approval was requested: it holds the
    order's lookup, so no approval can be opened for the order after it."""

    order_id: str
    withdrawn_at: datetime
    event_id: uuid.UUID  # of the ApprovalWithdrawn it published


class ApprovalStore(Protocol):
    def get(self, approval_id: str) -> Approval | None: ...

    def find_by_order(self, order_id: str) -> Approval | None: ...

    def create(self, approval: Approval) -> bool:
        """Store a new approval and its order lookup; False if the order already has one."""
        ...

    def mark_notified(self, approval_id: str) -> None: ...

    def record_decision(
        self,
        approval_id: str,
        status: ApprovalStatus,
        decided_at: datetime,
        comment: str | None,
        event_id: uuid.UUID,
        *,
        decided_by: Approver = Approver.OWNER,
    ) -> bool:
        """Record the decision if the approval is still pending; False if someone was first."""
        ...

    def mark_published(self, approval_id: str) -> None: ...

    def cancel_pending(self, approval_id: str, reason: CancelReason, at: datetime) -> bool:
        """Close a still pending approval; False if it is no longer pending."""
        ...

    def note_cancellation(self, approval_id: str, reason: CancelReason, at: datetime) -> None:
        """Remember (once) that the workflow cancelled an order that already had a decision."""
        ...

    def withdraw(self, approval_id: str, at: datetime, event_id: uuid.UUID) -> bool:
        """Cancel a still pending approval for its customer: the same conditional write a
        decision makes, so exactly one of them wins; False if it is no longer pending."""
        ...

    def withdraw_before_request(self, withdrawal: EarlyWithdrawal) -> bool:
        """Record a withdrawal for an order with no approval yet; False if the order already
        has an approval (or a withdrawal)."""
        ...

    def early_withdrawal(self, order_id: str) -> EarlyWithdrawal | None: ...


@dataclass(frozen=True)
class OwnerLinks:
    approve: str
    reject: str


@dataclass(frozen=True)
class OwnerRequest:
    """What the owner is asked: the approval, and the two signed links that answer it."""

    approval: Approval
    links: OwnerLinks


class OwnerNotifier(Protocol):
    def send(self, request: OwnerRequest) -> None:
        """Ask the owner; how the request reads is the notifier's concern."""
        ...
