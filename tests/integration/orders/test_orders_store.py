"""The DynamoDB store and the unit tests' in-memory fake keep the same rules.

Run against both, so the fake the domain tests rely on cannot drift from the conditional
writes that really enforce them.
"""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest

from local.provision import ProvisionedService
from services.orders.adapters.dynamodb import DynamoOrdersStore
from services.orders.domain.ports import OrderAlreadyExistsError, OrdersStore, StatusChange
from services.orders.models import OrderStatus
from tests.support.orders import PLACED_AT
from tests.unit.orders.fake_store import InMemoryOrdersStore
from tests.unit.orders.samples import ORDER_ID, order


@pytest.fixture(params=["dynamodb", "memory"])
def store(request: pytest.FixtureRequest) -> OrdersStore:
    if request.param == "memory":
        return InMemoryOrdersStore()
    provisioned: ProvisionedService = request.getfixturevalue("orders")
    return DynamoOrdersStore(boto3.resource("dynamodb").Table(provisioned.tables["orders"]))


LATER = PLACED_AT + timedelta(hours=1)


def test_an_order_reads_back_as_stored(store: OrdersStore) -> None:
    placed = order()
    store.create(placed)

    assert store.get(ORDER_ID) == placed
    assert store.get("ord_other") is None


def test_an_id_is_taken_once(store: OrdersStore) -> None:
    store.create(order())

    with pytest.raises(OrderAlreadyExistsError):
        store.create(order(status=OrderStatus.SHIPPED))
    assert store.get(ORDER_ID) == order()


def test_status_only_moves_forward(store: OrdersStore) -> None:
    store.create(order())

    assert store.advance_status(ORDER_ID, OrderStatus.SHIPPED, LATER) is StatusChange.ADVANCED
    assert (
        store.advance_status(ORDER_ID, OrderStatus.AWAITING_APPROVAL, LATER + timedelta(1))
        is StatusChange.NOT_FORWARD
    )
    assert (
        store.advance_status(ORDER_ID, OrderStatus.SHIPPED, LATER + timedelta(2))
        is StatusChange.NOT_FORWARD
    )
    current = store.get(ORDER_ID)
    assert current is not None
    assert (current.status, current.updated_at) == (OrderStatus.SHIPPED, LATER)


def test_a_missing_order_is_never_created_by_a_status(store: OrdersStore) -> None:
    assert store.advance_status(ORDER_ID, OrderStatus.SHIPPED, LATER) is StatusChange.MISSING
    assert store.get(ORDER_ID) is None


def test_delete_tells_whether_there_was_something(store: OrdersStore) -> None:
    store.create(order())

    assert store.delete(ORDER_ID) is True
    assert store.delete(ORDER_ID) is False
    assert store.get(ORDER_ID) is None
