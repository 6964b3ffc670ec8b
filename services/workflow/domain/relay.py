"""The task-token relay: the only place that holds a workflow's task token.

The state machine sends the token on a private queue; ``keep_token`` stores it and tells the
bus an approval is wanted (ApprovalRequested, without the token). ``relay_decision`` turns the
owner's OrderApproved / OrderRejected back into SendTaskSuccess / SendTaskFailure, and the
customer's winning cancellation (ApprovalWithdrawn) into SendTaskFailure(CustomerCancelled).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import StrEnum

from events.models import (
    ApprovalRequested,
    ApprovalRequestedData,
    ApprovalWithdrawn,
    OrderApproved,
    OrderRejected,
)
from events.publisher import EventPublisher
from services.workflow.domain.ports import (
    Clock,
    TaskResults,
    TokenRecord,
    TokenStatus,
    TokenStore,
    WorkflowMovedOnError,
)
from services.workflow.models import TokenRequest

# The error name the state machine catches (RequestApproval's Catch) to cancel the order.
REJECTED_ERROR = "OrderRejected"
# ... and the one it catches to cancel the order for its customer.
CUSTOMER_CANCELLED_ERROR = "CustomerCancelled"

# How long a token is kept after its deadline. Long enough that a decision redriven from a
# DLQ (SQS keeps messages at most 14 days) still finds its token and learns the workflow
# moved on, instead of looking like a decision that came before its token.
TOKEN_RETENTION = timedelta(days=14)


class TokenOutcome(StrEnum):
    """Each value is also the name of the metric counting it."""

    ANNOUNCED = "ApprovalRequested"
    DUPLICATE = "TokenMessageDuplicate"
    STALE = "TokenMessageStale"


class DecisionOutcome(StrEnum):
    """Each value is also the name of the metric counting it."""

    RELAYED = "DecisionRelayed"
    DUPLICATE = "DecisionDuplicate"
    MOVED_ON = "DecisionAfterWorkflowMovedOn"
    # A withdrawal published before the approval was requested: approvals publishes it again
    # once ApprovalRequested (sent only after the token is kept) reaches it.
    WITHDRAWN_EARLY = "WithdrawalBeforeToken"


class TokenNotFoundError(LookupError):
    """A decision for an order whose token is not (yet) known: retried, then the DLQ."""


def keep_token(
    request: TokenRequest, *, tokens: TokenStore, publisher: EventPublisher
) -> TokenOutcome:
    """Store the token, then announce the approval; a redelivered message announces nothing
    twice, and a message lost between the two steps is announced on its redelivery."""
    token = request.task_token.get_secret_value()
    deadline = request.approval_deadline
    stored = tokens.add(
        TokenRecord(
            order_id=request.order_id,
            task_token=token,
            execution_arn=request.execution_arn,
            requested_at=request.requested_at,
            approval_deadline=deadline,
            expires_at=deadline + TOKEN_RETENTION,
        )
    )
    if not stored:
        existing = tokens.get(request.order_id)
        if existing is None or existing.task_token != token:
            # A later request of the same order holds the record: this one is history.
            return TokenOutcome.STALE
        if existing.status is not TokenStatus.STORED:
            return TokenOutcome.DUPLICATE
    # Announced only after the token is stored: a decision can never come before its token.
    publisher.publish(
        [
            ApprovalRequested.create(
                ApprovalRequestedData(
                    **request.order.model_dump(),
                    requested_at=request.requested_at,
                    approval_deadline=deadline,
                ),
                occurred_at=request.requested_at,
            )
        ]
    )
    tokens.mark_announced(request.order_id, token)
    return TokenOutcome.ANNOUNCED


Relayed = OrderApproved | OrderRejected | ApprovalWithdrawn


def relay_decision(
    event: Relayed,
    *,
    tokens: TokenStore,
    tasks: TaskResults,
    clock: Clock,
) -> DecisionOutcome:
    """Resume the order's workflow with the owner's decision, at most once per token."""
    record = tokens.get(event.order_id)
    if record is None and isinstance(event, ApprovalWithdrawn):
        return DecisionOutcome.WITHDRAWN_EARLY
    if record is None:
        # The token is written before ApprovalRequested goes out and approvals decides only
        # after it, so within the retention a missing token is not "too early" but a fault:
        # fail, let SQS retry, and let the DLQ show it. Past the retention, it is a replay of
        # old history (e.g. from the bus archive) and the workflow is long over.
        if clock() - _when(event) > TOKEN_RETENTION:
            return DecisionOutcome.MOVED_ON
        raise TokenNotFoundError(f"no task token for order {event.order_id}")
    if record.status is TokenStatus.USED:
        return DecisionOutcome.DUPLICATE

    try:
        if isinstance(event, OrderApproved):
            tasks.succeed(record.task_token, output=event.data.model_dump_json())
        elif isinstance(event, ApprovalWithdrawn):
            tasks.fail(
                record.task_token,
                error=CUSTOMER_CANCELLED_ERROR,
                cause=json.dumps(
                    {
                        "order_id": event.order_id,
                        "withdrawn_at": event.data.withdrawn_at.isoformat(),
                    }
                ),
            )
        else:
            tasks.fail(
                record.task_token,
                error=REJECTED_ERROR,
                cause=json.dumps(
                    {
                        "order_id": event.order_id,
                        "decided_at": event.data.decided_at.isoformat(),
                        "comment": event.data.comment,
                    }
                ),
            )
        outcome = DecisionOutcome.RELAYED
    except WorkflowMovedOnError:
        outcome = DecisionOutcome.MOVED_ON

    # Marked after the call, not before: a send that fails is retried with the token intact.
    # Two deliveries racing past the check above both call Step Functions; the second finds
    # the task closed (WorkflowMovedOnError), so the workflow still resumes once.
    tokens.mark_used(
        event.order_id,
        record.task_token,
        decision="withdrawn" if isinstance(event, ApprovalWithdrawn) else event.data.decision,
        outcome=outcome.value,
        at=clock(),
    )
    return outcome


def _when(event: Relayed) -> datetime:
    if isinstance(event, ApprovalWithdrawn):
        return event.data.withdrawn_at
    return event.data.decided_at
