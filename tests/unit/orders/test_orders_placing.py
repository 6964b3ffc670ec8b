"""Placing and reading orders, with an in-memory store."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from services.orders.domain.catalogue import PricingError
from services.orders.domain.placing import get_order, new_order_id, place_order
from services.orders.domain.ports import OrderAlreadyExistsError
from services.orders.models import OrderStatus
from tests.support.orders import PLACED_AT
from tests.unit.orders.fake_catalogue import InMemoryCatalogue
from tests.unit.orders.fake_store import InMemoryOrdersStore
from tests.unit.orders.samples import CATALOGUE, CUSTOMER, CUSTOMER_ID, request

CAT = InMemoryCatalogue(CATALOGUE)

NOW = datetime(2026, 11, 21, 12, 30, tzinfo=UTC)
WHO: dict[str, Any] = {"customer_id": CUSTOMER_ID, "customer": CUSTOMER}


def test_a_placed_order_is_stored_with_its_total_and_event_id() -> None:
    store = InMemoryOrdersStore()
    event_id = uuid.uuid4()

    order = place_order(
        request(),
        customer_id=CUSTOMER_ID,
        customer=CUSTOMER,
        store=store,
        catalogue=CAT,
        clock=lambda: NOW,
        new_id=lambda: "ord_test",
        new_event_id=lambda: event_id,
    )

    assert store.get("ord_test") == order
    assert order.status is OrderStatus.PLACED
    assert order.total == "21.00"
    assert order.placed_at == order.updated_at == NOW
    assert order.placed_event_id == event_id
    assert order.customer == CUSTOMER
    assert order.customer_id == CUSTOMER_ID
    assert [(i.sku, i.name, i.quantity, i.unit_price) for i in order.items] == [
        ("TEA-01", "Earl Grey, 100 g", 2, "4.50"),
        ("MUG-7", "Stoneware mug", 1, "12.00"),
    ]
    assert order.currency == "EUR"


def test_an_order_that_cannot_be_priced_stores_nothing() -> None:
    store = InMemoryOrdersStore()

    with pytest.raises(PricingError):
        place_order(
            request(items=[{"sku": "NOPE", "quantity": 1}]),
            **WHO,
            store=store,
            catalogue=CAT,
            clock=lambda: NOW,
        )

    assert store.orders == {}


def test_order_ids_are_random_and_fit_the_contract() -> None:
    ids = {new_order_id() for _ in range(100)}

    assert len(ids) == 100
    assert all(re.fullmatch(r"ord_[0-9a-f]{32}", i) for i in ids)


def test_a_taken_id_is_never_overwritten() -> None:
    store = InMemoryOrdersStore()
    first = place_order(
        request(), **WHO, store=store, catalogue=CAT, clock=lambda: NOW, new_id=lambda: "ord_same"
    )
    other = request(items=[{"sku": "MUG-7", "quantity": 3}])

    with pytest.raises(OrderAlreadyExistsError):
        place_order(
            other, **WHO, store=store, catalogue=CAT, clock=lambda: NOW, new_id=lambda: "ord_same"
        )

    assert store.get("ord_same") == first


def test_reading_an_order_shows_it_without_internals() -> None:
    store = InMemoryOrdersStore()
    placed = place_order(request(), **WHO, store=store, catalogue=CAT, clock=lambda: PLACED_AT)

    view = get_order(placed.order_id, customer_id=CUSTOMER_ID, store=store)

    assert view is not None
    assert view.order_id == placed.order_id
    assert "placed_event_id" not in view.model_dump()
    assert "customer_id" not in view.model_dump()


def test_another_customers_order_reads_as_missing() -> None:
    store = InMemoryOrdersStore()
    placed = place_order(request(), **WHO, store=store, catalogue=CAT, clock=lambda: PLACED_AT)

    assert get_order(placed.order_id, customer_id="someone-else", store=store) is None


@pytest.mark.parametrize("order_id", ["ord_missing", "not an id", "x" * 65, ""])
def test_an_unknown_or_impossible_id_finds_nothing(order_id: str) -> None:
    assert get_order(order_id, customer_id=CUSTOMER_ID, store=InMemoryOrdersStore()) is None


def test_an_order_without_an_owner_is_nobodys_to_read() -> None:
    store = InMemoryOrdersStore()
    ownerless = place_order(request(), **WHO, store=store, catalogue=CAT, clock=lambda: PLACED_AT)
    store.orders[ownerless.order_id] = ownerless.model_copy(update={"customer_id": None})

    assert get_order(ownerless.order_id, customer_id=CUSTOMER_ID, store=store) is None
