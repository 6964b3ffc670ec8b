"""The DynamoDB approval store keeps the rules the domain relies on, on moto."""

from __future__ import annotations

import uuid
from datetime import timedelta

import boto3
import pytest

from services.approvals.adapters.table import DynamoApprovalStore, lookup_key
from services.approvals.domain.ports import EarlyWithdrawal
from services.approvals.domain.requests import summary_of
from services.approvals.models import Approval, ApprovalStatus
from tests.integration.approvals.conftest import Approvals
from tests.unit.approvals.fakes import NOW, approval_requested


@pytest.fixture
def store(approvals: Approvals) -> DynamoApprovalStore:
    return DynamoApprovalStore(boto3.client("dynamodb"), approvals.table)


def pending(order_id: str = "ord_1", approval_id: str | None = None) -> Approval:
    data = approval_requested(order_id).data
    return Approval(
        approval_id=approval_id or uuid.uuid4().hex,
        order=summary_of(data),
        requested_at=data.requested_at,
        deadline=data.approval_deadline,
        link_expires=int(data.approval_deadline.timestamp()) + 60,
        status=ApprovalStatus.PENDING,
    )


def test_an_approval_reads_back_as_it_was_written(store: DynamoApprovalStore) -> None:
    approval = pending()

    assert store.create(approval)

    assert store.get(approval.approval_id) == approval
    assert store.find_by_order("ord_1") == approval
    assert store.find_by_order("ord_other") is None
    # The lookup item is not an approval, whatever a link claims.
    assert store.get(lookup_key("ord_1")) is None


def test_an_order_gets_one_approval_even_when_two_deliveries_race(
    store: DynamoApprovalStore,
) -> None:
    first, second = pending(), pending()

    assert store.create(first)
    assert not store.create(second)

    assert store.find_by_order("ord_1") == first
    assert store.get(second.approval_id) is None


def test_only_the_first_decision_is_recorded(store: DynamoApprovalStore) -> None:
    approval = pending()
    store.create(approval)
    event_id = uuid.uuid4()

    assert store.record_decision(
        approval.approval_id, ApprovalStatus.APPROVED, NOW, "Ship it", event_id
    )
    assert not store.record_decision(
        approval.approval_id,
        ApprovalStatus.REJECTED,
        NOW + timedelta(seconds=1),
        None,
        uuid.uuid4(),
    )
    store.mark_published(approval.approval_id)

    recorded = store.get(approval.approval_id)
    assert recorded is not None
    assert recorded.status is ApprovalStatus.APPROVED
    assert recorded.decided_at == NOW
    assert recorded.comment == "Ship it"
    assert recorded.decision_event_id == event_id
    assert recorded.decision_published


def test_cancellation_closes_only_a_pending_approval_and_is_noted_once(
    store: DynamoApprovalStore,
) -> None:
    open_one, decided = pending("ord_open"), pending("ord_decided")
    store.create(open_one)
    store.create(decided)
    store.record_decision(decided.approval_id, ApprovalStatus.REJECTED, NOW, None, uuid.uuid4())
    at = NOW + timedelta(hours=1)

    assert store.cancel_pending(open_one.approval_id, "approval_timeout", at)
    assert not store.cancel_pending(decided.approval_id, "rejected", at)
    store.note_cancellation(decided.approval_id, "rejected", at)
    store.note_cancellation(decided.approval_id, "rejected", at + timedelta(hours=1))

    cancelled = store.get(open_one.approval_id)
    noted = store.get(decided.approval_id)
    assert cancelled is not None
    assert noted is not None
    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_at) == (
        ApprovalStatus.CANCELLED,
        "approval_timeout",
        at,
    )
    assert (noted.status, noted.cancel_reason, noted.cancelled_at) == (
        ApprovalStatus.REJECTED,
        "rejected",
        at,
    )


def test_updates_never_create_an_approval_out_of_nothing(store: DynamoApprovalStore) -> None:
    assert not store.record_decision("missing", ApprovalStatus.APPROVED, NOW, None, uuid.uuid4())
    assert not store.cancel_pending("missing", "rejected", NOW)
    assert store.get("missing") is None


def test_a_withdrawal_and_a_decision_race_and_exactly_one_is_recorded(
    store: DynamoApprovalStore,
) -> None:
    approval = pending()
    store.create(approval)
    withdrawal_id = uuid.uuid4()

    assert store.withdraw(approval.approval_id, NOW, withdrawal_id)
    assert not store.record_decision(
        approval.approval_id, ApprovalStatus.APPROVED, NOW, None, uuid.uuid4()
    )
    assert not store.withdraw(approval.approval_id, NOW, uuid.uuid4())

    closed = store.get(approval.approval_id)
    assert closed is not None
    assert (closed.status, closed.cancel_reason, closed.withdrawal_event_id) == (
        ApprovalStatus.CANCELLED,
        "customer_cancelled",
        withdrawal_id,
    )


def test_a_withdrawal_before_the_request_keeps_any_approval_from_being_opened(
    store: DynamoApprovalStore,
) -> None:
    early = EarlyWithdrawal("ord_1", NOW, uuid.uuid4())

    assert store.withdraw_before_request(early)
    assert not store.withdraw_before_request(EarlyWithdrawal("ord_1", NOW, uuid.uuid4()))
    assert not store.create(pending())

    assert store.find_by_order("ord_1") is None
    assert store.early_withdrawal("ord_1") == early
    assert store.early_withdrawal("ord_other") is None
    # and once an approval exists, a late "early" withdrawal cannot take its place
    store.create(pending("ord_2"))
    assert not store.withdraw_before_request(EarlyWithdrawal("ord_2", NOW, uuid.uuid4()))
    assert store.early_withdrawal("ord_2") is None
