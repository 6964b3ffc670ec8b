"""The fields of other services' events the approvals service reads (the consumer-driven
contract, checked by tests/contract/test_consumer_contract.py against every published version).

A path walks the event's ``detail``; ``[]`` steps into every array element; a trailing ``?``
marks a field the service copes without.
"""

from __future__ import annotations

# The approval keeps the order summary: the owner's message and page show it.
_SUMMARY = (
    "data.order_id",
    "data.customer.name",
    "data.customer.email",
    "data.items[].sku",
    "data.items[].name",
    "data.items[].quantity",
    "data.items[].unit_price",
    "data.total",
    "data.currency",
)

READS: dict[str, tuple[str, ...]] = {
    "ApprovalRequested": (*_SUMMARY, "data.requested_at", "data.approval_deadline"),
    "OrderCancelled": (*_SUMMARY, "data.reason", "data.cancelled_at"),
    # The customer's cancellation races the owner's decision on the approval record.
    "OrderCancellationRequested": ("data.order_id", "metadata.event_id", "data.requested_at"),
}
