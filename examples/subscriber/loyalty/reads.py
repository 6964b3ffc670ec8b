"""What we read of the shop's events, declared for the shop's consumer-driven contract.

The shop's contract tests load this file and fail any change of theirs that removes or
retypes one of these fields, naming us. tests/test_loyalty_model.py keeps it equal to the
fields our models in ``model.py`` actually have.
"""

from __future__ import annotations

READS: dict[str, tuple[str, ...]] = {
    "OrderShipped": (
        "metadata.event_id",
        "data.order_id",
        "data.customer.email",
        "data.total",
        "data.currency",
        "data.shipped_at",
    ),
    "OrderCancelled": (
        "metadata.event_id",
        "data.order_id",
        "data.customer.email",
        "data.cancelled_at",
    ),
}
