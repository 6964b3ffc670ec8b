"""In-memory adapters for the approvals domain, with the same rules as the DynamoDB ones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from events.models import (
    ApprovalRequested,
    Customer,
    Event,
    LineItem,
    OrderCancelled,
)
from events.publisher import FailedEntry, PublishError
from services.approvals.adapters.notifier import OwnerMessage, owner_message
from services.approvals.domain.ports import EarlyWithdrawal, OwnerRequest
from services.approvals.links import SigningKey
from services.approvals.models import Approval, ApprovalStatus, Approver, CancelReason
from tests.support.orders import example, summary

KEY = SigningKey("v-current", b"k" * 32)
# The same key id with another secret: what a forger would have to guess.
OTHER_KEY = SigningKey("v-current", b"o" * 32)
BASE_URL = "https://approvals.example.test"
NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
# Decisions close this long before the workflow's deadline.
MARGIN = timedelta(minutes=5)


class StaticKeyring:
    """A keyring that rotates when told: the newest key signs, it and the one before verify."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = list(keys)  # newest first

    def current(self) -> SigningKey:
        return self.keys[0]

    def find(self, kid: str) -> SigningKey | None:
        return next((key for key in self.keys[:2] if key.kid == kid), None)

    def rotate(self, key: SigningKey) -> None:
        self.keys.insert(0, key)


@dataclass
class InMemoryApprovalStore:
    approvals: dict[str, Approval] = field(default_factory=dict)
    by_order: dict[str, str] = field(default_factory=dict)
    early: dict[str, EarlyWithdrawal] = field(default_factory=dict)

    def get(self, approval_id: str) -> Approval | None:
        return self.approvals.get(approval_id)

    def find_by_order(self, order_id: str) -> Approval | None:
        approval_id = self.by_order.get(order_id)
        return self.approvals.get(approval_id) if approval_id else None

    def create(self, approval: Approval) -> bool:
        taken = approval.order_id in self.by_order or approval.order_id in self.early
        if taken or approval.approval_id in self.approvals:
            return False
        self.approvals[approval.approval_id] = approval
        self.by_order[approval.order_id] = approval.approval_id
        return True

    def _set(self, approval_id: str, **changes: object) -> None:
        self.approvals[approval_id] = self.approvals[approval_id].model_copy(update=changes)

    def mark_notified(self, approval_id: str) -> None:
        self._set(approval_id, owner_notified=True)

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
        if self.approvals[approval_id].status is not ApprovalStatus.PENDING:
            return False
        self._set(
            approval_id,
            status=status,
            decided_at=decided_at,
            decided_by=decided_by,
            comment=comment,
            decision_event_id=event_id,
            decision_published=False,
        )
        return True

    def mark_published(self, approval_id: str) -> None:
        self._set(approval_id, decision_published=True)

    def cancel_pending(self, approval_id: str, reason: CancelReason, at: datetime) -> bool:
        if self.approvals[approval_id].status is not ApprovalStatus.PENDING:
            return False
        self._set(
            approval_id, status=ApprovalStatus.CANCELLED, cancelled_at=at, cancel_reason=reason
        )
        return True

    def note_cancellation(self, approval_id: str, reason: CancelReason, at: datetime) -> None:
        if self.approvals[approval_id].cancelled_at is None:
            self._set(approval_id, cancelled_at=at, cancel_reason=reason)

    def withdraw(self, approval_id: str, at: datetime, event_id: uuid.UUID) -> bool:
        if self.approvals[approval_id].status is not ApprovalStatus.PENDING:
            return False
        self._set(
            approval_id,
            status=ApprovalStatus.CANCELLED,
            cancelled_at=at,
            cancel_reason="customer_cancelled",
            withdrawal_event_id=event_id,
        )
        return True

    def withdraw_before_request(self, withdrawal: EarlyWithdrawal) -> bool:
        if withdrawal.order_id in self.by_order or withdrawal.order_id in self.early:
            return False
        self.early[withdrawal.order_id] = withdrawal
        return True

    def early_withdrawal(self, order_id: str) -> EarlyWithdrawal | None:
        return self.early.get(order_id)

    def claim_reminder(self, approval_id: str, reminder: int, at: datetime) -> bool:
        approval = self.approvals[approval_id]
        if not approval.is_open or approval.reminders_sent >= reminder:
            return False
        self._set(approval_id, reminders_sent=reminder, reminded_at=at)
        return True

    def release_reminder(self, approval_id: str, reminder: int) -> None:
        if self.approvals[approval_id].reminders_sent == reminder:
            self._set(approval_id, reminders_sent=reminder - 1)

    def mark_reminder_published(self, approval_id: str, reminder: int) -> None:
        if self.approvals[approval_id].reminders_published < reminder:
            self._set(approval_id, reminders_published=reminder)


@dataclass
class RecordingNotifier:
    """Keeps each request as the SNS notifier would render it."""

    sent: list[OwnerMessage] = field(default_factory=list)
    fail_next: int = 0

    def send(self, request: OwnerRequest) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("SNS is unreachable")
        self.sent.append(owner_message(request))


@dataclass
class FlakyPublisher:
    """Fails its first ``failures`` publishes the way EventBridgePublisher does."""

    failures: int = 0
    published: list[Event] = field(default_factory=list)

    def publish(self, events: Sequence[Event]) -> None:
        if self.failures:
            self.failures -= 1
            raise PublishError(
                [
                    FailedEntry(
                        e.detail_type,
                        str(e.metadata.event_id),
                        e.metadata.correlation_id,
                        "InternalFailure",
                        "try again",
                    )
                    for e in events
                ]
            )
        self.published.extend(events)


def approval_requested(
    order_id: str = "ord_1", *, deadline: datetime | None = None, name: str = "Ada Lovelace"
) -> ApprovalRequested:
    # The committed example, with the customer and lines these tests read in the owner's message.
    return example(
        ApprovalRequested,
        order_id=order_id,
        customer=Customer(name=name, email="ada@example.com"),
        items=[
            LineItem(sku="MUG-01", name="Enamel mug", quantity=2, unit_price="12.50"),
            LineItem(sku="TEA-42", name="Assam tea", quantity=1, unit_price="7.90"),
        ],
        total="32.90",
        currency="EUR",
        requested_at=NOW,
        approval_deadline=deadline or NOW + timedelta(hours=24),
    )


def order_cancelled(
    order_id: str = "ord_1",
    reason: CancelReason = "approval_timeout",
    at: datetime | None = None,
) -> OrderCancelled:
    requested = approval_requested(order_id).data
    return example(
        OrderCancelled,
        **summary(requested),
        reason=reason,
        cancelled_at=at or NOW + timedelta(hours=24),
    )
