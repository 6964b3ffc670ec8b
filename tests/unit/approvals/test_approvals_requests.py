"""Opening approvals and closing them on cancellation, delivered at least once, in any order."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from events.models import ApprovalRequested
from services.approvals.domain.requests import (
    LinkSettings,
    RequestDependencies,
    close_on_cancel,
    request_approval,
)
from services.approvals.links import LinkSigner, VerifiedLink
from services.approvals.models import ApprovalStatus, Decision
from tests.unit.approvals.fakes import (
    BASE_URL,
    KEY,
    MARGIN,
    NOW,
    FlakyPublisher,
    InMemoryApprovalStore,
    RecordingNotifier,
    StaticKeyring,
    approval_requested,
    order_cancelled,
)

SIGNER = LinkSigner(StaticKeyring(KEY))
GRACE = 7 * 24 * 3600
LINKS = LinkSettings(base_url=BASE_URL, grace_seconds=GRACE, decision_margin=MARGIN)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


def request(
    store: InMemoryApprovalStore, notifier: RecordingNotifier, event: ApprovalRequested
) -> str:
    deps = RequestDependencies(
        store=store, notifier=notifier, signer=SIGNER, links=LINKS, publisher=FlakyPublisher()
    )
    return request_approval(event, deps, now=NOW)


def links_in(text: str) -> dict[str, str]:
    return {
        dict(parse_qsl(urlsplit(word).query))["decision"]: word
        for word in text.split()
        if word.startswith(BASE_URL)
    }


def test_a_request_opens_a_pending_approval_and_sends_the_owner_two_signed_links(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    event = approval_requested("ord_1")

    assert request(store, notifier, event) == "owner-notified"

    approval = store.find_by_order("ord_1")
    assert approval is not None
    assert approval.status is ApprovalStatus.PENDING
    assert approval.owner_notified
    assert approval.order.customer.name == "Ada Lovelace"
    assert approval.link_expires == int(event.data.approval_deadline.timestamp()) + GRACE
    assert "ord_1" not in approval.approval_id

    [message] = notifier.sent
    assert "ord_1" in message.subject
    assert "Ada Lovelace" in message.text
    assert "Enamel mug" in message.text
    assert "32.90 EUR" in message.text
    assert "ada@example.com" not in message.text  # the owner needs no customer email
    links = links_in(message.text)
    assert set(links) == {"approve", "reject"}
    for decision, url in links.items():
        split = urlsplit(url)
        assert split.path == f"/approvals/{approval.approval_id}"
        check = SIGNER.verify(approval.approval_id, dict(parse_qsl(split.query)), NOW)
        assert isinstance(check, VerifiedLink)
        assert check.decision is Decision(decision)


def test_a_redelivered_request_opens_no_second_approval_and_sends_no_second_message(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    event = approval_requested("ord_1")
    request(store, notifier, event)

    assert request(store, notifier, event) == "duplicate"
    # A second event for the same order (another event id) is the same request.
    assert request(store, notifier, approval_requested("ord_1")) == "duplicate"

    assert len(store.approvals) == 1
    assert len(notifier.sent) == 1


def test_a_message_that_failed_to_send_is_sent_on_redelivery_with_the_same_approval(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    event = approval_requested("ord_1")
    notifier.fail_next = 1
    with pytest.raises(ConnectionError):
        request(store, notifier, event)
    approval = store.find_by_order("ord_1")
    assert approval is not None
    assert not approval.owner_notified

    assert request(store, notifier, event) == "owner-notified"

    assert len(store.approvals) == 1
    assert len(notifier.sent) == 1
    assert approval.approval_id in notifier.sent[0].text


def test_a_request_arriving_after_its_deadline_bothers_nobody(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    late = approval_requested("ord_1", deadline=NOW - timedelta(seconds=1))

    assert request(store, notifier, late) == "past-deadline"
    assert notifier.sent == []


def test_cancellation_closes_a_pending_approval(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    request(store, notifier, approval_requested("ord_1"))
    cancelled = order_cancelled("ord_1", "approval_timeout")

    assert close_on_cancel(cancelled, store=store) == "cancelled"
    assert close_on_cancel(cancelled, store=store) == "already-cancelled"

    approval = store.find_by_order("ord_1")
    assert approval is not None
    assert approval.status is ApprovalStatus.CANCELLED
    assert approval.cancel_reason == "approval_timeout"
    assert approval.cancelled_at == cancelled.data.cancelled_at


def test_cancellation_after_a_decision_keeps_the_decision_and_notes_the_cancellation(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    request(store, notifier, approval_requested("ord_1"))
    approval = store.find_by_order("ord_1")
    assert approval is not None
    store.record_decision(approval.approval_id, ApprovalStatus.REJECTED, NOW, None, uuid.uuid4())
    first = order_cancelled("ord_1", "rejected", at=NOW + timedelta(minutes=1))

    assert close_on_cancel(first, store=store) == "cancellation-noted"
    assert close_on_cancel(order_cancelled("ord_1", "rejected"), store=store) == (
        "already-cancelled"
    )

    closed = store.get(approval.approval_id)
    assert closed is not None
    assert closed.status is ApprovalStatus.REJECTED
    assert closed.cancel_reason == "rejected"
    assert closed.cancelled_at == first.data.cancelled_at


def test_a_cancellation_that_overtakes_its_request_stops_the_owner_being_asked(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    assert close_on_cancel(order_cancelled("ord_1"), store=store) == "cancelled-before-request"

    assert request(store, notifier, approval_requested("ord_1")) == "already-closed"
    assert notifier.sent == []
    assert len(store.approvals) == 1


def test_decisions_close_a_safety_margin_before_the_workflows_deadline(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    event = approval_requested("ord_1")

    request(store, notifier, event)

    approval = store.find_by_order("ord_1")
    assert approval is not None
    assert approval.deadline == event.data.approval_deadline - MARGIN
    # The links still open after the window (a late click explains what happened).
    assert approval.link_expires == int(event.data.approval_deadline.timestamp()) + GRACE


def test_a_request_arriving_inside_the_margin_bothers_nobody(
    store: InMemoryApprovalStore, notifier: RecordingNotifier
) -> None:
    late = approval_requested("ord_1", deadline=NOW + MARGIN - timedelta(seconds=1))

    assert request(store, notifier, late) == "past-deadline"
    assert notifier.sent == []
