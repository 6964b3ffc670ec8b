"""The customer's cancellation against the owner's decision and the window's end: the approval
record decides, exactly one wins, and the answer is the same however often it is asked."""

from __future__ import annotations

from datetime import timedelta

from events.models import OrderCancellationRequested
from services.approvals.domain.decisions import decide
from services.approvals.domain.requests import (
    LinkSettings,
    RequestDependencies,
    close_on_cancel,
    request_approval,
)
from services.approvals.domain.withdrawals import answer_cancellation
from services.approvals.links import LinkSigner
from services.approvals.models import Approval, ApprovalStatus, Decision
from tests.support.orders import example
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


def requested(order_id: str = "ord_1") -> OrderCancellationRequested:
    return example(OrderCancellationRequested, order_id=order_id, requested_at=NOW)


def answer(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, event: OrderCancellationRequested
) -> str:
    return answer_cancellation(event, store=store, publisher=publisher, now=NOW)


def published(publisher: FlakyPublisher) -> list[tuple[str, str]]:
    return [(e.detail_type, str(e.metadata.event_id)) for e in publisher.published]


def test_a_cancellation_before_any_decision_withdraws_the_approval(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    assert answer(store, publisher, requested()) == "withdrawn"

    [event] = publisher.published
    assert event.detail_type == "ApprovalWithdrawn"
    closed = store.get(approval.approval_id)
    assert closed is not None
    assert (closed.status, closed.cancel_reason) == (ApprovalStatus.CANCELLED, "customer_cancelled")
    # and the owner's decision after it records nothing, publishes nothing
    before = len(publisher.published)
    decide(
        store,
        publisher,
        approval_id=approval.approval_id,
        decision=Decision.APPROVE,
        comment=None,
        now=NOW,
    )
    assert len(publisher.published) == before
    assert store.get(approval.approval_id) == closed


def test_a_cancellation_after_the_owner_approved_is_refused_saying_when(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    decided_at = NOW - timedelta(minutes=1)
    decide(
        store,
        publisher,
        approval_id=approval.approval_id,
        decision=Decision.APPROVE,
        comment=None,
        now=decided_at,
    )

    assert answer(store, publisher, requested()) == "refused"

    refusal = publisher.published[-1]
    assert refusal.detail_type == "OrderCancellationRefused"
    assert (refusal.data.because, refusal.data.decided_at) == ("approved", decided_at)
    assert store.get(approval.approval_id).status is ApprovalStatus.APPROVED  # type: ignore[union-attr]


def test_a_cancellation_past_the_decision_deadline_is_refused_as_expired(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    late = approval.deadline + timedelta(seconds=1)

    assert answer_cancellation(requested(), store=store, publisher=publisher, now=late) == "refused"

    assert publisher.published[-1].data.because == "expired"
    assert store.get(approval.approval_id).is_open  # type: ignore[union-attr]  # timeout's to close


def test_a_redelivered_request_gets_the_same_answer_with_the_same_event_id(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    event = requested()

    for _ in range(3):
        assert answer(store, publisher, event) == "withdrawn"

    [(kind, _event_id)] = set(published(publisher))
    assert kind == "ApprovalWithdrawn"
    assert len(publisher.published) == 3


def test_a_cancellation_before_the_request_keeps_the_owner_from_being_asked(
    store: InMemoryApprovalStore, publisher: FlakyPublisher
) -> None:
    notifier = RecordingNotifier()
    deps = RequestDependencies(
        store=store,
        notifier=notifier,
        signer=LinkSigner(StaticKeyring(KEY)),
        links=LinkSettings(BASE_URL, 3600, MARGIN),
        publisher=publisher,
    )

    # When the cancellation comes before the workflow asks for the approval
    assert answer(store, publisher, requested()) == "withdrawn-before-request"
    [early] = published(publisher)

    # Then the request that follows asks nobody and tells the workflow again, same event
    assert request_approval(approval_requested("ord_1"), deps, now=NOW) == (
        "withdrawn-before-request"
    )
    assert notifier.sent == []
    assert published(publisher) == [early, early]
    assert store.find_by_order("ord_1") is None
    # and the workflow's cancellation that ends it finds it closed
    assert close_on_cancel(order_cancelled("ord_1", "customer_cancelled"), store=store) == (
        "already-withdrawn"
    )
