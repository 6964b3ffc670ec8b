"""Placing and reading orders."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from pydantic import TypeAdapter, ValidationError

from events.models import Customer, OrderId
from services.orders.domain.catalogue import OrderLine, price_lines
from services.orders.domain.ports import Catalogue, OrdersStore
from services.orders.models import Order, OrderStatus, OrderView, PlaceOrderRequest

Clock = Callable[[], datetime]

_ORDER_ID = TypeAdapter(OrderId)


def new_order_id() -> str:
    return f"ord_{uuid.uuid4().hex}"


def place_order(
    request: PlaceOrderRequest,
    *,
    customer_id: str,
    customer: Customer,
    store: OrdersStore,
    catalogue: Catalogue,
    clock: Clock,
    new_id: Callable[[], str] = new_order_id,
    new_event_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> Order:
    """Price the requested lines from the catalogue and store the order in status ``placed``.

    Raises ``PricingError`` (nothing stored) when a line cannot be priced.

    Its OrderPlaced is not published here: the table's stream does that (the outbox), so an
    order can never exist without its event. The event's id is chosen now and stored with the
    order, so every replay of the stream record publishes the same event.

    ``customer_id`` and ``customer`` come from the caller's verified identity, never the body.
    """
    priced = price_lines([OrderLine(i.sku, i.quantity) for i in request.items], catalogue)
    now = clock()
    order = Order(
        order_id=new_id(),
        status=OrderStatus.PLACED,
        customer_id=customer_id,
        customer=customer,
        items=priced.items,
        total=priced.total,
        currency=priced.currency,
        placed_at=now,
        updated_at=now,
        placed_event_id=new_event_id(),
    )
    store.create(order)
    return order


def get_order(order_id: str, *, customer_id: str, store: OrdersStore) -> OrderView | None:
    """The customer's order, or None when they have none by that id: never placed, cancelled
    and deleted, or someone else's (indistinguishable, so ids reveal nothing)."""
    try:
        _ORDER_ID.validate_python(order_id)
    except ValidationError:
        return None  # not an id we could have issued: it cannot exist
    order = store.get(order_id)
    return None if order is None or order.customer_id != customer_id else order.view()
