"""The relay: keeps each token, announces each approval once, resumes each workflow once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from events.models import ApprovalRequested, ApprovalWithdrawn, OrderApproved, OrderRejected
from events.publisher import FailedEntry, PublishError
from services.workflow.domain.ports import TokenStatus
from services.workflow.domain.relay import (
    CUSTOMER_CANCELLED_ERROR,
    REJECTED_ERROR,
    TOKEN_RETENTION,
    DecisionOutcome,
    TokenNotFoundError,
    TokenOutcome,
    keep_token,
    relay_decision,
)
from tests.support.fakes import RecordingPublisher
from tests.support.orders import example
from tests.unit.workflow.fakes import Clock, InMemoryTokenStore, RecordingTaskResults
from tests.unit.workflow.samples import MOMENT, approved, rejected, token_request

ORDER = "ord_2001"


class FailingPublisher:
    def publish(self, events: object) -> None:
        raise PublishError([FailedEntry("ApprovalRequested", "e", ORDER, "Throttled", "slow")])


@pytest.fixture
def tokens() -> InMemoryTokenStore:
    return InMemoryTokenStore()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def tasks() -> RecordingTaskResults:
    return RecordingTaskResults()


@pytest.fixture
def clock() -> Clock:
    return Clock(MOMENT + timedelta(minutes=10))


# --- keep_token -------------------------------------------------------------------------


def test_a_token_is_kept_and_the_approval_announced_with_its_deadline(
    tokens: InMemoryTokenStore, publisher: RecordingPublisher
) -> None:
    request = token_request(ORDER, token="secret-token", window_seconds=3600)

    outcome = keep_token(request, tokens=tokens, publisher=publisher)

    assert outcome is TokenOutcome.ANNOUNCED
    record = tokens.records[ORDER]
    assert record.task_token == "secret-token"
    assert record.status is TokenStatus.ANNOUNCED
    assert record.approval_deadline == MOMENT + timedelta(hours=1)
    assert record.expires_at == MOMENT + timedelta(hours=1) + TOKEN_RETENTION

    [event] = publisher.published
    assert isinstance(event, ApprovalRequested)
    assert event.data.order_id == ORDER
    assert event.data.requested_at == MOMENT
    assert event.data.approval_deadline == MOMENT + timedelta(hours=1)
    assert event.data.customer == request.order.customer
    assert event.data.items == request.order.items
    assert event.metadata.correlation_id == ORDER
    assert "secret-token" not in event.detail_json()


def test_a_redelivered_token_message_announces_nothing_twice(
    tokens: InMemoryTokenStore, publisher: RecordingPublisher
) -> None:
    keep_token(token_request(ORDER), tokens=tokens, publisher=publisher)

    outcome = keep_token(token_request(ORDER), tokens=tokens, publisher=publisher)

    assert outcome is TokenOutcome.DUPLICATE
    assert len(publisher.published) == 1


def test_an_announcement_that_failed_is_made_on_redelivery(
    tokens: InMemoryTokenStore, publisher: RecordingPublisher
) -> None:
    with pytest.raises(PublishError):
        keep_token(token_request(ORDER), tokens=tokens, publisher=FailingPublisher())
    assert tokens.records[ORDER].status is TokenStatus.STORED

    outcome = keep_token(token_request(ORDER), tokens=tokens, publisher=publisher)

    assert outcome is TokenOutcome.ANNOUNCED
    assert len(publisher.published) == 1
    assert tokens.records[ORDER].status is TokenStatus.ANNOUNCED


def test_an_older_token_message_does_not_replace_a_newer_token(
    tokens: InMemoryTokenStore, publisher: RecordingPublisher
) -> None:
    keep_token(
        token_request(ORDER, token="new", requested_at=MOMENT + timedelta(seconds=5)),
        tokens=tokens,
        publisher=publisher,
    )

    outcome = keep_token(
        token_request(ORDER, token="old", requested_at=MOMENT), tokens=tokens, publisher=publisher
    )

    assert outcome is TokenOutcome.STALE
    assert tokens.records[ORDER].task_token == "new"
    assert len(publisher.published) == 1


def test_a_newer_token_message_replaces_an_older_token(
    tokens: InMemoryTokenStore, publisher: RecordingPublisher
) -> None:
    keep_token(token_request(ORDER, token="old"), tokens=tokens, publisher=publisher)

    outcome = keep_token(
        token_request(ORDER, token="new", requested_at=MOMENT + timedelta(seconds=5)),
        tokens=tokens,
        publisher=publisher,
    )

    assert outcome is TokenOutcome.ANNOUNCED
    assert tokens.records[ORDER].task_token == "new"


def test_nothing_prints_the_token() -> None:
    request = token_request(ORDER, token="secret-token")
    tokens = InMemoryTokenStore()
    keep_token(request, tokens=tokens, publisher=RecordingPublisher())

    assert "secret-token" not in repr(request)
    assert "secret-token" not in str(request.model_dump())
    assert "secret-token" not in repr(tokens.records[ORDER])


# --- relay_decision ---------------------------------------------------------------------


@pytest.fixture
def kept(tokens: InMemoryTokenStore, publisher: RecordingPublisher) -> InMemoryTokenStore:
    keep_token(token_request(ORDER, token="tok"), tokens=tokens, publisher=publisher)
    return tokens


def test_an_approval_resumes_the_workflow_with_the_decision(
    kept: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    outcome = relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock)

    assert outcome is DecisionOutcome.RELAYED
    [call] = tasks.calls
    assert call.kind == "success"
    assert call.task_token == "tok"
    assert json.loads(call.output or "")["decision"] == "approved"
    record = kept.records[ORDER]
    assert record.status is TokenStatus.USED
    assert (record.decision, record.outcome, record.used_at) == (
        "approved",
        "DecisionRelayed",
        clock.now,
    )


def test_a_rejection_fails_the_task_with_the_error_the_state_machine_catches(
    kept: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    outcome = relay_decision(
        rejected(ORDER, comment="Out of stock"), tokens=kept, tasks=tasks, clock=clock
    )

    assert outcome is DecisionOutcome.RELAYED
    [call] = tasks.calls
    assert (call.kind, call.task_token, call.error) == ("failure", "tok", REJECTED_ERROR)
    assert json.loads(call.cause or "")["comment"] == "Out of stock"
    assert kept.records[ORDER].decision == "rejected"


@pytest.mark.parametrize("second", [approved, rejected])
def test_a_second_decision_sends_nothing(
    kept: InMemoryTokenStore,
    tasks: RecordingTaskResults,
    clock: Clock,
    second: Callable[[str], OrderApproved | OrderRejected],
) -> None:
    relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock)

    outcome = relay_decision(second(ORDER), tokens=kept, tasks=tasks, clock=clock)

    assert outcome is DecisionOutcome.DUPLICATE
    assert len(tasks.calls) == 1
    assert kept.records[ORDER].decision == "approved"


def test_a_decision_after_the_workflow_moved_on_is_done_not_retried(
    kept: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    tasks.closed.add("tok")  # e.g. the approval window ran out

    outcome = relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock)

    assert outcome is DecisionOutcome.MOVED_ON
    assert kept.records[ORDER].status is TokenStatus.USED
    assert kept.records[ORDER].outcome == "DecisionAfterWorkflowMovedOn"
    # ... and a later duplicate does not even ask Step Functions.
    relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock)
    assert len(tasks.calls) == 1


def test_a_failed_send_keeps_the_token_for_the_retry(
    kept: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    tasks.broken = True
    with pytest.raises(ConnectionError):
        relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock)
    assert kept.records[ORDER].status is TokenStatus.ANNOUNCED

    tasks.broken = False
    outcome = relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock)

    assert outcome is DecisionOutcome.RELAYED


def test_a_decision_without_a_token_fails_to_be_retried(
    tokens: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    with pytest.raises(TokenNotFoundError, match=ORDER):
        relay_decision(approved(ORDER), tokens=tokens, tasks=tasks, clock=clock)
    assert tasks.calls == []


def test_a_replayed_decision_older_than_the_retention_is_long_over(
    tokens: InMemoryTokenStore, tasks: RecordingTaskResults
) -> None:
    decided_at = MOMENT
    clock = Clock(decided_at + TOKEN_RETENTION + timedelta(seconds=1))

    outcome = relay_decision(
        approved(ORDER, at=decided_at), tokens=tokens, tasks=tasks, clock=clock
    )

    assert outcome is DecisionOutcome.MOVED_ON
    assert tasks.calls == []


# --- the customer's withdrawal ------------------------------------------------------------


def withdrawn(order_id: str = ORDER) -> ApprovalWithdrawn:
    return example(ApprovalWithdrawn, order_id=order_id, withdrawn_at=MOMENT + timedelta(minutes=2))


def test_a_withdrawal_fails_the_task_with_the_customers_error(
    kept: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    outcome = relay_decision(withdrawn(), tokens=kept, tasks=tasks, clock=clock)

    assert outcome is DecisionOutcome.RELAYED
    [call] = tasks.calls
    assert (call.kind, call.task_token, call.error) == ("failure", "tok", CUSTOMER_CANCELLED_ERROR)
    assert kept.records[ORDER].decision == "withdrawn"
    # and a redelivered one, or an owner's decision after it, resumes nothing
    assert relay_decision(withdrawn(), tokens=kept, tasks=tasks, clock=clock) is (
        DecisionOutcome.DUPLICATE
    )
    assert relay_decision(approved(ORDER), tokens=kept, tasks=tasks, clock=clock) is (
        DecisionOutcome.DUPLICATE
    )
    assert len(tasks.calls) == 1


def test_a_withdrawal_before_the_token_waits_for_its_republication(
    tokens: InMemoryTokenStore, tasks: RecordingTaskResults, clock: Clock
) -> None:
    # The approvals service publishes it again once ApprovalRequested (sent after the token
    # is kept) reaches it: no retry, no DLQ.
    outcome = relay_decision(withdrawn(), tokens=tokens, tasks=tasks, clock=clock)

    assert outcome is DecisionOutcome.WITHDRAWN_EARLY
    assert tasks.calls == []
