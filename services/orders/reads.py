"""The fields of other services' events the orders service reads (the consumer-driven
contract, checked by tests/contract/test_consumer_contract.py against every published version).

A path walks the event's ``detail``; ``[]`` steps into every array element; a trailing ``?``
marks a field the service copes without.
"""

from __future__ import annotations

# The order's status moves forward by when the event happened; a cancellation deletes it.
_STATUS = ("data.order_id", "metadata.occurred_at")

READS: dict[str, tuple[str, ...]] = {
    "ApprovalRequested": _STATUS,
    "OrderShipped": _STATUS,
    "FeedbackDue": _STATUS,
    "OrderCancelled": ("data.order_id",),
    # The arbiter's answer to a customer's cancellation, for the API call waiting on it.
    "ApprovalWithdrawn": ("data.order_id", "data.withdrawn_at"),
    "OrderCancellationRefused": (
        "data.order_id",
        "data.refused_at",
        "data.because",
        "data.decided_at?",
    ),
}
