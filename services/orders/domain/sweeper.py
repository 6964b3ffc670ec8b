"""The outbox's safety net: OrderPlaced again for orders that never left ``placed``.

The stream outbox retries a failing record until it expires from the stream (24 h), but an
order can still get stuck: a record that expired during a long bus outage, a workflow that
never started, an ApprovalRequested that never reached the orders service. The sweeper runs
on a schedule and republishes OrderPlaced, with the event id stored on the order, for every
order still ``placed`` after a threshold; consumers deduplicate on the id (one execution per
order, one email per kind), so a republish of an order that was merely slow changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from events.publisher import EventPublisher
from services.orders.domain.outbox import order_placed_event
from services.orders.domain.ports import OrdersStore


def republish_stuck_orders(
    store: OrdersStore, publisher: EventPublisher, *, stuck_after: timedelta, now: datetime
) -> list[str]:
    """Republish OrderPlaced for orders placed before ``now - stuck_after`` and still
    ``placed``; returns their ids."""
    events = [order_placed_event(order) for order in store.placed_before(now - stuck_after)]
    if events:
        publisher.publish(events)  # batches of ten; raises naming the entries that failed
    return [event.order_id for event in events]
