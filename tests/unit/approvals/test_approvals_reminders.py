"""Reminders of an open approval: when they are due, what the owner (and at the last one the
backup approver) is sent, and that none is sent twice or for an approval that has ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from events.publisher import PublishError
from services.approvals.adapters.notifier import OwnerMessage, reminder_message
from services.approvals.domain.decisions import decide
from services.approvals.domain.reminders import (
    ESCALATED,
    REMINDED,
    PlannedReminder,
    Reminder,
    ReminderDependencies,
    ReminderDue,
    ReminderSchedule,
    parse_points,
    remind,
    reminder_events,
)
from services.approvals.links import LinkProblem, LinkSigner, RefusedLink, VerifiedLink
from services.approvals.models import Approval, Approver, Decision
from tests.unit.approvals.fakes import (
    BASE_URL,
    KEY,
    NOW,
    FlakyPublisher,
    InMemoryApprovalStore,
    StaticKeyring,
)

SIGNER = LinkSigner(StaticKeyring(KEY))


@dataclass
class RecordingReminders:
    sent: list[OwnerMessage] = field(default_factory=list)
    fail_next: int = 0

    def send(self, reminder: Reminder) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("SNS is unreachable")
        self.sent.append(reminder_message(reminder))


@dataclass
class RecordingTimers:
    set_: list[PlannedReminder] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)

    def set(self, reminders: Sequence[PlannedReminder]) -> None:
        self.set_.extend(reminders)

    def cancel(self, approval_id: str) -> None:
        self.cancelled.append(approval_id)


@pytest.fixture
def owner() -> RecordingReminders:
    return RecordingReminders()


@pytest.fixture
def backup() -> RecordingReminders:
    return RecordingReminders()


def deps(
    store: InMemoryApprovalStore,
    owner: RecordingReminders,
    backup: RecordingReminders | None,
    publisher: FlakyPublisher,
) -> ReminderDependencies:
    return ReminderDependencies(
        store=store,
        owner=owner,
        backup=backup,
        publisher=publisher,
        signer=SIGNER,
        base_url=BASE_URL,
    )


def due(approval: Approval, number: int, planned: int = 2) -> ReminderDue:
    return ReminderDue(approval_id=approval.approval_id, reminder=number, reminders_planned=planned)


def verified(message: OwnerMessage, decision: str) -> VerifiedLink:
    link = next(w for w in message.text.split() if f"decision={decision}" in w)
    parts = urlsplit(link)
    result = SIGNER.verify(parts.path.rsplit("/", 1)[-1], dict(parse_qsl(parts.query)), NOW)
    assert isinstance(result, VerifiedLink)
    return result


def test_reminders_fall_at_their_points_of_the_owners_time_in_whole_seconds(
    approval: Approval,
) -> None:
    timers = RecordingTimers()
    window = approval.deadline - approval.requested_at

    ReminderSchedule(timers, (50, 90)).start(approval, NOW)

    assert [(r.due.reminder, r.due.reminders_planned) for r in timers.set_] == [(1, 2), (2, 2)]
    assert [r.at for r in timers.set_] == [NOW + window * 0.5, NOW + window * 0.9]
    assert all(r.at.microsecond == 0 for r in timers.set_)


def test_a_late_request_sets_only_the_reminders_still_ahead(approval: Approval) -> None:
    window = approval.deadline - approval.requested_at
    late = NOW + window * 0.6

    planned = ReminderSchedule(RecordingTimers(), (50, 90)).plan(approval, late)

    assert [r.due.reminder for r in planned] == [2]


@pytest.mark.parametrize("text", ["90,50", "0,50", "50,100", "50,50", "x"])
def test_reminder_points_must_be_ascending_percentages(text: str) -> None:
    with pytest.raises(ValueError, match="reminder points"):
        parse_points(text)


def test_the_owner_is_reminded_with_the_time_left_and_working_links(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    at = NOW + timedelta(hours=12)

    result = remind(due(approval, 1), deps(store, owner, None, publisher), now=at)

    assert result == REMINDED
    [message] = owner.sent
    assert message.subject == "Reminder: order ord_1 needs your approval (11 h 55 min left)"
    assert "Reminder 1 of 2" in message.text
    assert verified(message, "approve").approver is Approver.OWNER
    assert verified(message, "reject").decision is Decision.REJECT
    [event] = publisher.published
    assert event.detail_type == "ApprovalReminded"
    assert event.data.model_dump() == {
        "order_id": "ord_1",
        "reminder": 1,
        "reminders_planned": 2,
        "reminded_at": at,
        "expires_at": approval.deadline,
        "escalated": False,
    }


def test_a_timer_delivered_twice_reminds_once(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    at = NOW + timedelta(hours=12)
    remind(due(approval, 1), deps(store, owner, None, publisher), now=at)

    again = remind(due(approval, 1), deps(store, owner, None, publisher), now=at)

    assert again == "duplicate"
    assert len(owner.sent) == 1
    assert len(publisher.published) == 1


def test_the_last_reminder_also_asks_the_backup_approver_with_links_of_their_own(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    backup: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    at = NOW + timedelta(hours=20)
    result = remind(due(approval, 2), deps(store, owner, backup, publisher), now=at)

    assert result == ESCALATED
    [to_owner], [to_backup] = owner.sent, backup.sent
    assert "Reminder 2 of 2" in to_owner.text
    assert "you are the backup approver" in to_backup.subject
    assert verified(to_owner, "approve").approver is Approver.OWNER
    assert verified(to_backup, "approve").approver is Approver.BACKUP
    assert [e.detail_type for e in publisher.published] == [
        "ApprovalReminded",
        "ApprovalEscalated",
    ]
    assert publisher.published[0].data.escalated is True


def test_without_a_backup_approver_the_last_reminder_goes_to_the_owner_alone(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    remind(due(approval, 2), deps(store, owner, None, publisher), now=NOW + timedelta(hours=20))

    assert len(owner.sent) == 1
    assert [e.detail_type for e in publisher.published] == ["ApprovalReminded"]
    assert publisher.published[0].data.escalated is False


def test_a_decided_approval_gets_no_reminder(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    backup: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    decide(
        store,
        publisher,
        approval_id=approval.approval_id,
        decision=Decision.APPROVE,
        comment=None,
        now=NOW + timedelta(hours=1),
    )
    published = len(publisher.published)

    result = remind(due(approval, 2), deps(store, owner, backup, publisher), now=NOW)

    assert result == "already-closed"
    assert owner.sent == backup.sent == []
    assert len(publisher.published) == published


def test_no_reminder_after_the_deadline(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    result = remind(due(approval, 1), deps(store, owner, None, publisher), now=approval.deadline)

    assert result == "past-deadline"
    assert owner.sent == []
    assert publisher.published == []


def test_an_earlier_reminder_arriving_after_a_later_one_is_not_sent(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    remind(due(approval, 2), deps(store, owner, None, publisher), now=NOW + timedelta(hours=20))

    late = remind(due(approval, 1), deps(store, owner, None, publisher), now=NOW)

    assert late == "duplicate"
    assert len(owner.sent) == 1


def test_a_failed_send_gives_the_claim_back_so_the_redelivery_sends_it(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    publisher: FlakyPublisher,
) -> None:
    owner.fail_next = 1
    at = NOW + timedelta(hours=12)
    with pytest.raises(ConnectionError):
        remind(due(approval, 1), deps(store, owner, None, publisher), now=at)
    assert publisher.published == []

    assert remind(due(approval, 1), deps(store, owner, None, publisher), now=at) == REMINDED
    assert len(owner.sent) == 1


def test_a_failed_publish_is_retried_with_the_same_events_and_no_second_message(
    store: InMemoryApprovalStore,
    approval: Approval,
    owner: RecordingReminders,
    backup: RecordingReminders,
) -> None:
    publisher = FlakyPublisher(failures=1)
    at = NOW + timedelta(hours=20)
    with pytest.raises(PublishError):
        remind(due(approval, 2), deps(store, owner, backup, publisher), now=at)

    retried = remind(due(approval, 2), deps(store, owner, backup, publisher), now=at)
    again = remind(due(approval, 2), deps(store, owner, backup, publisher), now=at)

    assert (retried, again) == (ESCALATED, "duplicate")
    assert len(owner.sent) == len(backup.sent) == 1
    assert len(publisher.published) == 2
    # Built again from the ledger: same ids and times as the attempt that failed would have had.
    recorded = store.get(approval.approval_id)
    assert recorded is not None
    rebuilt = reminder_events(recorded, due(approval, 2), escalated=True)
    assert [e.metadata.event_id for e in rebuilt] == [
        e.metadata.event_id for e in publisher.published
    ]


def test_a_decision_through_the_backup_link_is_published_as_the_backups(
    store: InMemoryApprovalStore, approval: Approval, publisher: FlakyPublisher
) -> None:
    decide(
        store,
        publisher,
        approval_id=approval.approval_id,
        decision=Decision.REJECT,
        comment=None,
        now=NOW + timedelta(hours=21),
        approver=Approver.BACKUP,
    )

    [event] = publisher.published
    assert (event.detail_type, event.data.decided_by) == ("OrderRejected", "backup")


def test_a_backup_link_without_its_mark_or_an_owner_link_with_one_is_refused(
    approval: Approval,
) -> None:
    owner_link = urlsplit(SIGNER.url(BASE_URL, approval.approval_id, Decision.APPROVE, 2**31))
    backup_link = urlsplit(
        SIGNER.url(BASE_URL, approval.approval_id, Decision.APPROVE, 2**31, Approver.BACKUP)
    )
    owner_params = dict(parse_qsl(owner_link.query))
    backup_params = dict(parse_qsl(backup_link.query))

    stripped = {k: v for k, v in backup_params.items() if k != "by"}
    promoted = {**owner_params, "by": "backup"}
    unknown = {**backup_params, "by": "someone"}

    assert SIGNER.verify(approval.approval_id, stripped, NOW) == RefusedLink(LinkProblem.TAMPERED)
    assert SIGNER.verify(approval.approval_id, promoted, NOW) == RefusedLink(LinkProblem.TAMPERED)
    assert SIGNER.verify(approval.approval_id, unknown, NOW) == RefusedLink(LinkProblem.MALFORMED)
    assert isinstance(SIGNER.verify(approval.approval_id, backup_params, NOW), VerifiedLink)
