"""The approval record: one per order, from the owner's request to its end."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from events.models import OrderSummary

CancelReason = Literal["rejected", "approval_timeout", "customer_cancelled"]


class Decision(StrEnum):
    """What a link asks for (the ``decision`` query parameter)."""

    APPROVE = "approve"
    REJECT = "reject"


class Approver(StrEnum):
    """Whose links a decision came through: the owner's, or the backup approver's (sent with
    the last reminder)."""

    OWNER = "owner"
    BACKUP = "backup"


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


STATUS_OF_DECISION = {
    Decision.APPROVE: ApprovalStatus.APPROVED,
    Decision.REJECT: ApprovalStatus.REJECTED,
}
DECISION_OF_STATUS = {status: decision for decision, status in STATUS_OF_DECISION.items()}


class Approval(BaseModel):
    """An order waiting for (or past) the owner's decision.

    ``cancelled_at`` is set when the workflow cancelled the order: with status CANCELLED when
    nobody had decided yet, or next to a recorded decision (a rejection, or an approval that
    came too late) so a later click can say what really happened.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use

    approval_id: str
    order: OrderSummary
    requested_at: AwareDatetime
    # When decisions stop being accepted: the workflow's deadline less a safety margin, so a
    # decision confirmed to the owner always reaches the workflow before its timer fires.
    deadline: AwareDatetime
    link_expires: int  # unix seconds; the links stop working after this
    status: ApprovalStatus
    owner_notified: bool = False
    decided_at: AwareDatetime | None = None
    comment: str | None = None
    # Kept so that a retried publish sends the same event (consumers deduplicate on it).
    decision_event_id: uuid.UUID | None = None
    decision_published: bool = False
    cancelled_at: AwareDatetime | None = None
    cancel_reason: CancelReason | None = None
    # The ApprovalWithdrawn a customer's winning cancellation published (status CANCELLED,
    # reason customer_cancelled): a redelivered request republishes the very same event.
    withdrawal_event_id: uuid.UUID | None = None
    decided_by: Approver | None = None
    # Reminders: how many went out (claimed with a conditional write before sending, so a
    # redelivered timer sends none twice) and how many of their events are on the bus.
    reminders_sent: int = 0
    reminders_published: int = 0
    reminded_at: AwareDatetime | None = None

    @property
    def order_id(self) -> str:
        return self.order.order_id

    @property
    def decision(self) -> Decision | None:
        return DECISION_OF_STATUS.get(self.status)

    @property
    def is_open(self) -> bool:
        return self.status is ApprovalStatus.PENDING
