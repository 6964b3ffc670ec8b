"""Orders as the orders service holds them, for its unit tests (events: tests.support.orders)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from events.models import Customer
from services.orders.domain.catalogue import CatalogueEntry
from services.orders.models import Order, OrderStatus, PlaceOrderRequest
from tests.support.orders import PLACED_AT, PRICED_ITEMS, order_body

ORDER_ID = "ord_00000000000000000000000000000001"
EVENT_ID = uuid.UUID("6f1c1f7e-8a4b-4c55-9a1e-3b2c1d0e9f8a")
# The signed-in customer: their id is the ``sub`` of their id token.
CUSTOMER_ID = "0b5e3a52-7d4f-4f0e-9a65-3f1b2c4d5e6f"
CUSTOMER = Customer(name="Ada Lovelace", email="ada@example.com")

# What the unit tests' catalogue sells: order_body()'s two lines and a few to refuse.
CATALOGUE = (
    CatalogueEntry(sku="TEA-01", name="Earl Grey, 100 g", unit_price="4.50", currency="EUR"),
    CatalogueEntry(sku="MUG-7", name="Stoneware mug", unit_price="12.00", currency="EUR"),
    CatalogueEntry(sku="HAT-3", name="Felt hat", unit_price="45.00", currency="EUR", active=False),
    CatalogueEntry(sku="MATCHA", name="Matcha, 30 g", unit_price="1500", currency="JPY"),
)


def request_body(**overrides: Any) -> dict[str, Any]:
    return order_body(**overrides)


def request(**overrides: Any) -> PlaceOrderRequest:
    return PlaceOrderRequest.model_validate(order_body(**overrides))


def order(
    status: OrderStatus = OrderStatus.PLACED,
    order_id: str = ORDER_ID,
    customer_id: str = CUSTOMER_ID,
    placed_at: datetime = PLACED_AT,
) -> Order:
    return Order(
        order_id=order_id,
        status=status,
        customer_id=customer_id,
        customer=CUSTOMER,
        items=PRICED_ITEMS,
        total="21.00",
        currency="EUR",
        placed_at=placed_at,
        updated_at=placed_at,
        placed_event_id=EVENT_ID,
    )
