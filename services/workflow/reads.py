"""The fields of other services' events the workflow reads (the consumer-driven contract,
checked by tests/contract/test_consumer_contract.py against every published version).

A path walks the event's ``detail``; ``[]`` steps into every array element; a trailing ``?``
marks a field the service copes without.
"""

from __future__ import annotations

# The starter hands the whole order summary to the state machine, which copies it into
# every event it emits; the relay resumes the execution with the owner's decision (whose
# ``decision`` the event type implies when it is left out).
_DECISION = ("data.order_id", "data.decision?", "data.decided_at", "data.comment?")

READS: dict[str, tuple[str, ...]] = {
    "OrderPlaced": (
        "data.order_id",
        "data.customer.name",
        "data.customer.email",
        "data.items[].sku",
        "data.items[].name",
        "data.items[].quantity",
        "data.items[].unit_price",
        "data.total",
        "data.currency",
    ),
    "OrderApproved": _DECISION,
    "OrderRejected": _DECISION,
    # The customer's cancellation won: the relay fails the waiting task.
    "ApprovalWithdrawn": ("data.order_id", "data.withdrawn_at"),
}
