"""The orders table's item layout, shared by the store and the outbox's stream reader."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.orders.adapters.dynamodb import (
    MalformedOrderItemError,
    item_from_order,
    order_from_item,
)
from services.orders.models import OrderStatus
from tests.unit.orders.samples import order


def test_an_item_round_trips_with_dynamodb_numbers() -> None:
    placed = order(status=OrderStatus.SHIPPED)
    item = item_from_order(placed)
    # What boto3 and the stream deserializer hand back: numbers as Decimal.
    item["status_rank"] = Decimal(item["status_rank"])
    item["items"] = [{**line, "quantity": Decimal(line["quantity"])} for line in item["items"]]

    assert order_from_item(item) == placed
    assert item["status_rank"] == OrderStatus.SHIPPED.rank


def test_a_malformed_item_names_its_fields_but_never_their_values() -> None:
    item = item_from_order(order())
    item["customer"]["email"] = "ada-at-example.com"
    item["items"][0]["quantity"] = Decimal("2.5")

    with pytest.raises(MalformedOrderItemError) as caught:
        order_from_item(item)

    message = str(caught.value)
    assert "customer.email" in message
    assert "items.0.quantity" in message
    assert "ada-at-example.com" not in message


def test_an_order_stored_before_sign_in_existed_still_reads_but_belongs_to_nobody() -> None:
    # Given an item written before orders recorded their customer
    item = item_from_order(order())
    del item["customer_id"]

    legacy = order_from_item(item)

    # Then its journey can go on (status, outbox) and writing it back adds no NULL index key
    assert legacy.customer_id is None
    assert "customer_id" not in item_from_order(legacy)
