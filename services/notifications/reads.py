"""The fields of other services' events the notifications service reads (the consumer-driven
contract, checked by tests/contract/test_consumer_contract.py against every published version).

A path walks the event's ``detail``; ``[]`` steps into every array element; a trailing ``?``
marks a field the service copes without.
"""

from __future__ import annotations

# Every email greets the customer, lists the lines and the total; the ledger deduplicates
# on the event id.
_EMAIL = (
    "metadata.event_id",
    "data.order_id",
    "data.customer.name",
    "data.customer.email",
    "data.items[].name",
    "data.items[].quantity",
    "data.items[].unit_price",
    "data.total",
    "data.currency",
)

READS: dict[str, tuple[str, ...]] = {
    "OrderPlaced": _EMAIL,
    "OrderShipped": (*_EMAIL, "data.shipped_at"),
    "OrderCancelled": (*_EMAIL, "data.reason"),
    "FeedbackDue": _EMAIL,
}
