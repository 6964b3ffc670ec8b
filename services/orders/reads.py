"""The fields of other services' events the orders service reads (the consumer-driven
contract, checked by tests/contract/test_consumer_contract.py against every published version).

A path walks the event's ``detail``; ``[]`` steps into every array element; a trailing ``?``
marks a field the service copes without.
"""

from __future__ import annotations

# The order's status moves forward by when the event happened; a cancellation deletes it.
_STATUS = ("data.order_id", "metadata.occurred_at")

# The timeline records each event once by its id, at the time the event says it happened.
_STEP = ("metadata.event_id", "data.order_id")

READS: dict[str, tuple[str, ...]] = {
    "OrderPlaced": (*_STEP, "data.placed_at"),
    "ApprovalRequested": (*_STATUS, *_STEP, "data.requested_at", "data.approval_deadline"),
    "ApprovalReminded": (
        *_STEP,
        "data.reminder",
        "data.reminders_planned",
        "data.reminded_at",
        "data.expires_at",
        "data.escalated?",
    ),
    "ApprovalEscalated": (*_STEP, "data.escalated_at", "data.expires_at"),
    "OrderApproved": (*_STEP, "data.decided_at", "data.comment?", "data.decided_by?"),
    "OrderRejected": (*_STEP, "data.decided_at", "data.comment?", "data.decided_by?"),
    "OrderShipped": (*_STATUS, *_STEP, "data.shipped_at"),
    "FeedbackDue": (*_STATUS, *_STEP, "data.due_at"),
    "OrderCancelled": (*_STEP, "data.reason", "data.cancelled_at", "data.cancelled_by?"),
    "OrderCancellationRequested": (*_STEP, "data.requested_at"),
    # The arbiter's answer to a customer's cancellation: for the API call waiting on it, and
    # a step of the timeline.
    "ApprovalWithdrawn": (*_STEP, "data.withdrawn_at", "data.withdrawn_by?"),
    "OrderCancellationRefused": (
        *_STEP,
        "data.refused_at",
        "data.because",
        "data.decided_at?",
    ),
    "EmailOutcomeRecorded": (*_STEP, "data.email", "data.outcome", "data.recorded_at"),
}
