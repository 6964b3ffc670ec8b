"""The owner's decision: the first one wins, later clicks see what happened, none is lost."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from events.models import OrderApproved, OrderRejected
from services.approvals.domain.answers import (
    AlreadyDecided,
    AwaitingConfirmation,
    Cancelled,
    DecisionRecorded,
    LinkAnswer,
    UnknownApproval,
    WindowClosed,
)
from services.approvals.domain.decisions import DecisionNotPublishedError, decide, view
from services.approvals.domain.requests import close_on_cancel
from services.approvals.models import Approval, ApprovalStatus, Decision
from tests.unit.approvals.fakes import (
    LATER,
    MARGIN,
    FlakyPublisher,
    InMemoryApprovalStore,
    order_cancelled,
)


def click(
    store: InMemoryApprovalStore,
    publisher: FlakyPublisher,
    approval: Approval,
    decision: Decision,
    *,
    comment: str | None = None,
    now: datetime = LATER,
) -> LinkAnswer:
    return decide(
        store,
        publisher,
        approval_id=approval.approval_id,
        decision=decision,
        comment=comment,
        now=now,
    )


def test_the_first_decision_is_recorded_and_published(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    outcome = click(store, publisher, approval, Decision.APPROVE, comment="Ship it")

    assert isinstance(outcome, DecisionRecorded)
    assert outcome.approval.status is ApprovalStatus.APPROVED
    [event] = publisher.published
    assert isinstance(event, OrderApproved)
    assert event.data.order_id == "ord_1"
    assert event.data.comment == "Ship it"
    assert event.data.decided_at == LATER
    assert event.metadata.correlation_id == "ord_1"
    recorded = store.get(approval.approval_id)
    assert recorded is not None
    assert recorded.decision_published


def test_a_second_click_shows_the_first_decision_and_publishes_nothing(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    click(store, publisher, approval, Decision.APPROVE)

    again = click(store, publisher, approval, Decision.APPROVE, now=LATER + timedelta(seconds=1))
    other = click(store, publisher, approval, Decision.REJECT, now=LATER + timedelta(seconds=2))

    for outcome in (again, other):
        assert isinstance(outcome, AlreadyDecided)
        assert outcome.approval.status is ApprovalStatus.APPROVED
        assert outcome.approval.decided_at == LATER
    assert [type(e) for e in publisher.published] == [OrderApproved]


def test_a_rejection_publishes_order_rejected(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    outcome = click(store, publisher, approval, Decision.REJECT, comment="Out of stock")

    assert isinstance(outcome, DecisionRecorded)
    [event] = publisher.published
    assert isinstance(event, OrderRejected)
    assert event.data.comment == "Out of stock"


def test_a_click_after_the_order_was_cancelled_shows_the_cancellation(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    close_on_cancel(order_cancelled("ord_1", "approval_timeout"), store=store)

    outcome = click(store, publisher, approval, Decision.APPROVE)

    assert isinstance(outcome, Cancelled)
    assert outcome.approval.cancel_reason == "approval_timeout"
    assert publisher.published == []
    assert isinstance(view(store, approval.approval_id, Decision.APPROVE, LATER), Cancelled)


def test_a_click_after_the_deadline_decides_nothing(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    too_late = approval.deadline + timedelta(seconds=1)

    outcome = click(store, publisher, approval, Decision.APPROVE, now=too_late)

    assert isinstance(outcome, WindowClosed)
    assert publisher.published == []
    assert store.get(approval.approval_id) == approval


def test_a_failed_publish_is_repeated_when_the_same_decision_is_sent_again(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    publisher.failures = 1
    with pytest.raises(DecisionNotPublishedError):
        click(store, publisher, approval, Decision.APPROVE, comment="Ship it")
    pending_publish = store.get(approval.approval_id)
    assert pending_publish is not None
    assert pending_publish.status is ApprovalStatus.APPROVED
    assert not pending_publish.decision_published

    # The other decision still loses to the recorded one, and publishes nothing.
    lost = click(store, publisher, approval, Decision.REJECT, now=LATER + timedelta(seconds=1))
    assert isinstance(lost, AlreadyDecided)
    assert publisher.published == []

    retried = click(store, publisher, approval, Decision.APPROVE, now=LATER + timedelta(seconds=2))
    assert isinstance(retried, DecisionRecorded)
    [event] = publisher.published
    # The very event the first attempt built: consumers can deduplicate on its id.
    assert event.metadata.event_id == pending_publish.decision_event_id
    assert isinstance(event, OrderApproved)
    assert event.data.decided_at == LATER
    assert event.data.comment == "Ship it"

    replay = click(store, publisher, approval, Decision.APPROVE, now=LATER + timedelta(seconds=3))
    assert isinstance(replay, AlreadyDecided)
    assert len(publisher.published) == 1


def test_looking_changes_nothing(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    before = dict(store.approvals)

    approve = view(store, approval.approval_id, Decision.APPROVE, LATER)
    reject = view(store, approval.approval_id, Decision.REJECT, LATER)

    assert approve == AwaitingConfirmation(approval, Decision.APPROVE)
    assert reject == AwaitingConfirmation(approval, Decision.REJECT)
    assert store.approvals == before
    assert publisher.published == []


def test_looking_at_a_decision_that_was_not_passed_on_offers_to_finish_it(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    publisher.failures = 1
    with pytest.raises(DecisionNotPublishedError):
        click(store, publisher, approval, Decision.REJECT)

    same = view(store, approval.approval_id, Decision.REJECT, LATER)
    other = view(store, approval.approval_id, Decision.APPROVE, LATER)

    assert isinstance(same, AwaitingConfirmation)
    assert same.resume
    assert isinstance(other, AlreadyDecided)


def test_an_unknown_approval_is_unknown(
    store: InMemoryApprovalStore, publisher: FlakyPublisher
) -> None:
    assert view(store, "x" * 32, Decision.APPROVE, LATER) == UnknownApproval()
    assert isinstance(
        decide(
            store,
            publisher,
            approval_id="x" * 32,
            decision=Decision.APPROVE,
            comment=None,
            now=LATER,
        ),
        UnknownApproval,
    )


def test_a_decision_in_the_last_seconds_before_the_workflows_deadline_is_refused(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    # Given the workflow's timer fires at workflow_deadline
    workflow_deadline = approval.deadline + MARGIN
    last_second = workflow_deadline - timedelta(seconds=1)

    # When the owner opens and confirms a link one second before it
    page = view(store, approval.approval_id, Decision.APPROVE, last_second)
    outcome = click(store, publisher, approval, Decision.APPROVE, now=last_second)

    # Then they are told the window has closed, and nothing was recorded or published
    assert isinstance(page, WindowClosed)
    assert isinstance(outcome, WindowClosed)
    assert publisher.published == []
    assert store.get(approval.approval_id) == approval


def test_a_decision_just_before_the_margin_is_recorded(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    in_time = approval.deadline - timedelta(seconds=1)

    outcome = click(store, publisher, approval, Decision.APPROVE, now=in_time)

    assert isinstance(outcome, DecisionRecorded)
    assert len(publisher.published) == 1


def test_an_unpublished_decision_is_not_republished_once_the_window_closed(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    publisher.failures = 1
    with pytest.raises(DecisionNotPublishedError):
        click(store, publisher, approval, Decision.APPROVE)
    closed = approval.deadline + timedelta(seconds=1)

    page = view(store, approval.approval_id, Decision.APPROVE, closed)
    retried = click(store, publisher, approval, Decision.APPROVE, now=closed)

    assert isinstance(page, WindowClosed)
    assert isinstance(retried, WindowClosed)
    assert publisher.published == []
