"""Reminding the owner of an open approval, and asking the backup approver at the last reminder.

When an approval opens, one timer per reminder point is set (``ReminderSchedule.start``); the
points are percentages of the time the owner has to decide, from the request to the
approval's deadline. When a timer fires, ``remind`` reads the ledger first: a decided,
cancelled or expired approval gets nothing. Each reminder is claimed with a conditional write
before anything is sent, so a timer delivered twice (or a reminder racing a later one) sends
nothing twice; a send that fails gives the claim back, so the redelivery tries again.

What went out is published as ``ApprovalReminded`` (and ``ApprovalEscalated`` when the
backup approver was asked) with event ids derived from the approval and the reminder, so a
publish retried after a failure sends the very same events.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from events.models import (
    ApprovalEscalated,
    ApprovalEscalatedData,
    ApprovalReminded,
    ApprovalRemindedData,
    Event,
    Metadata,
)
from events.publisher import EventPublisher
from services.approvals.domain.ports import OwnerLinks
from services.approvals.links import LinkSigner
from services.approvals.models import Approval, Approver, Decision

REMINDED = "reminded"
ESCALATED = "escalated"
# Event ids are uuid5 of this namespace and "<approval id>/<reminder>/<event>".
_EVENT_NAMESPACE = uuid.UUID("8f0c4b4e-6a57-4d1c-9a6e-3b1f2d5c7e90")


class ReminderDue(BaseModel):
    """What a reminder timer delivers when it fires (its input, as the queue message body)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    approval_id: str = Field(pattern=r"^[A-Za-z0-9_-]{16,128}$")
    reminder: int = Field(ge=1, le=99)
    reminders_planned: int = Field(ge=1, le=99)

    @property
    def is_last(self) -> bool:
        return self.reminder >= self.reminders_planned


@dataclass(frozen=True)
class PlannedReminder:
    due: ReminderDue
    at: datetime  # whole seconds (a timer's resolution), never before its point


class ReminderTimers(Protocol):
    def set(self, reminders: Sequence[PlannedReminder]) -> None:
        """Set one timer per reminder; a timer that is already set stays as it is."""
        ...

    def cancel(self, approval_id: str) -> None:
        """Remove the approval's timers that have not fired; best effort, never raises."""
        ...


def parse_points(text: str) -> tuple[int, ...]:
    """``"50,90"`` -> ``(50, 90)``: percentages from 1 to 99, strictly ascending."""
    problem = ValueError(f"reminder points must be ascending percentages 1-99: {text!r}")
    try:
        points = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise problem from None
    if any(not 1 <= p <= 99 for p in points) or list(points) != sorted(set(points)):
        raise problem
    return points


@dataclass(frozen=True)
class ReminderSchedule:
    """The reminder points (percent of the owner's time to decide) and where timers go."""

    timers: ReminderTimers
    points: tuple[int, ...]

    def plan(self, approval: Approval, now: datetime) -> list[PlannedReminder]:
        """The reminders still ahead of ``now`` (a late request skips the ones gone by)."""
        window = approval.deadline - approval.requested_at
        planned = []
        for number, point in enumerate(self.points, start=1):
            at = _whole_second_after(approval.requested_at + window * point / 100)
            if now < at < approval.deadline:
                due = ReminderDue(
                    approval_id=approval.approval_id,
                    reminder=number,
                    reminders_planned=len(self.points),
                )
                planned.append(PlannedReminder(due, at))
        return planned

    def start(self, approval: Approval, now: datetime) -> None:
        if reminders := self.plan(approval, now):
            self.timers.set(reminders)


def _whole_second_after(moment: datetime) -> datetime:
    return datetime.fromtimestamp(math.ceil(moment.timestamp()), tz=moment.tzinfo)


class ReminderStore(Protocol):
    def get(self, approval_id: str) -> Approval | None: ...

    def claim_reminder(self, approval_id: str, reminder: int, at: datetime) -> bool:
        """Count ``reminder`` as sent if the approval is pending and no reminder from this
        one on was sent; False otherwise."""
        ...

    def release_reminder(self, approval_id: str, reminder: int) -> None:
        """Give a claim back (its message could not be sent)."""
        ...

    def mark_reminder_published(self, approval_id: str, reminder: int) -> None: ...


@dataclass(frozen=True)
class Reminder:
    """What an approver is told: the approval, links that answer it and the time left.
    ``to_backup``: the backup approver, asked in the owner's place."""

    approval: Approval
    links: OwnerLinks
    number: int
    planned: int
    time_left: timedelta
    to_backup: bool = False


class ReminderNotifier(Protocol):
    def send(self, reminder: Reminder) -> None: ...


@dataclass(frozen=True)
class ReminderDependencies:
    store: ReminderStore
    owner: ReminderNotifier
    # None: no backup approver is configured, and the last reminder goes to the owner only.
    backup: ReminderNotifier | None
    publisher: EventPublisher
    signer: LinkSigner
    base_url: str


def remind(due: ReminderDue, deps: ReminderDependencies, *, now: datetime) -> str:
    """Send reminder ``due`` if the approval is still open and it was not sent before."""
    approval = deps.store.get(due.approval_id)
    if approval is None:
        return "unknown-approval"
    if skipped := _nothing_to_do(approval, due, now):
        return skipped
    if approval.reminders_sent < due.reminder:
        if not deps.store.claim_reminder(approval.approval_id, due.reminder, now):
            return "duplicate"  # a concurrent delivery, or the owner decided just now
        _send(approval, due, deps, now)
        approval = approval.model_copy(update={"reminders_sent": due.reminder, "reminded_at": now})
    # Sent (now or by an earlier delivery whose publish failed): put it on the bus.
    deps.publisher.publish(reminder_events(approval, due, escalated=_escalates(due, deps)))
    deps.store.mark_reminder_published(approval.approval_id, due.reminder)
    return ESCALATED if _escalates(due, deps) else REMINDED


def _nothing_to_do(approval: Approval, due: ReminderDue, now: datetime) -> str | None:
    """Why this reminder needs nothing more (sent and published, a later one sent, the
    approval closed or past its deadline), or None."""
    if approval.reminders_published >= due.reminder:
        return "duplicate"
    if approval.reminders_sent > due.reminder:
        return "superseded"
    if approval.reminders_sent == due.reminder:
        return None  # sent, its events not yet on the bus
    if not approval.is_open:
        return "already-closed"
    if now >= approval.deadline:
        return "past-deadline"
    return None


def _escalates(due: ReminderDue, deps: ReminderDependencies) -> bool:
    return due.is_last and deps.backup is not None


def _send(approval: Approval, due: ReminderDue, deps: ReminderDependencies, now: datetime) -> None:
    number, planned, left = due.reminder, due.reminders_planned, approval.deadline - now
    try:
        deps.owner.send(Reminder(approval, _links(deps, approval), number, planned, left))
        if deps.backup is not None and due.is_last:
            links = _links(deps, approval, Approver.BACKUP)
            deps.backup.send(Reminder(approval, links, number, planned, left, to_backup=True))
    except Exception:
        # Nothing (or not everything) went out: the redelivered timer sends it again. The
        # owner may then read a reminder twice, never none.
        deps.store.release_reminder(approval.approval_id, due.reminder)
        raise


def _links(
    deps: ReminderDependencies, approval: Approval, approver: Approver = Approver.OWNER
) -> OwnerLinks:
    def url(decision: Decision) -> str:
        return deps.signer.url(
            deps.base_url, approval.approval_id, decision, approval.link_expires, approver
        )

    return OwnerLinks(approve=url(Decision.APPROVE), reject=url(Decision.REJECT))


def reminder_events(approval: Approval, due: ReminderDue, *, escalated: bool) -> list[Event]:
    """The events for a sent reminder; the same ones however often they are built."""
    at = approval.reminded_at
    if at is None:
        raise ValueError(f"approval for order {approval.order_id} records no reminder")
    events: list[Event] = [
        ApprovalReminded(
            metadata=_metadata(approval, due, "reminded", ApprovalReminded.version, at),
            data=ApprovalRemindedData(
                order_id=approval.order_id,
                reminder=due.reminder,
                reminders_planned=due.reminders_planned,
                reminded_at=at,
                expires_at=approval.deadline,
                escalated=escalated,
            ),
        )
    ]
    if escalated:
        events.append(
            ApprovalEscalated(
                metadata=_metadata(approval, due, "escalated", ApprovalEscalated.version, at),
                data=ApprovalEscalatedData(
                    order_id=approval.order_id, escalated_at=at, expires_at=approval.deadline
                ),
            )
        )
    return events


def _metadata(
    approval: Approval, due: ReminderDue, what: str, version: int, at: datetime
) -> Metadata:
    return Metadata(
        event_id=uuid.uuid5(_EVENT_NAMESPACE, f"{approval.approval_id}/{due.reminder}/{what}"),
        event_version=version,
        occurred_at=at,
        correlation_id=approval.order_id,
    )
