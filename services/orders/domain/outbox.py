"""The OrderPlaced an order's creation publishes (through the table's stream)."""

from __future__ import annotations

from events.models import Metadata, OrderPlaced, OrderPlacedData
from events.publisher import EventPublisher
from services.orders.models import Order


def order_placed_event(order: Order) -> OrderPlaced:
    """The order's OrderPlaced, identical however often it is built: its id and time were
    fixed when the order was stored."""
    return OrderPlaced(
        metadata=Metadata(
            event_id=order.placed_event_id,
            event_version=OrderPlaced.version,
            occurred_at=order.placed_at,
            correlation_id=order.order_id,
        ),
        data=OrderPlacedData(
            order_id=order.order_id,
            customer=order.customer,
            items=order.items,
            total=order.total,
            currency=order.currency,
            placed_at=order.placed_at,
        ),
    )


def publish_order_placed(order: Order, *, publisher: EventPublisher) -> OrderPlaced:
    event = order_placed_event(order)
    publisher.publish([event])
    return event
