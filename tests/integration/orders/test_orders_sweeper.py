"""The sweeper on moto: a stuck order's own OrderPlaced goes out again; moving orders don't."""

from __future__ import annotations

from typing import cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from local.bus_tap import BusTap
from local.provision import ProvisionedService
from services.orders.handlers import sweeper
from tests.integration.orders.conftest import Http, OrdersTable
from tests.support.context import FakeLambdaContext
from tests.support.orders import order_body
from tests.support.polling import wait_until


def test_an_order_stuck_in_placed_gets_its_own_order_placed_again(
    http: Http,
    orders: ProvisionedService,
    orders_table: OrdersTable,
    bus_tap: BusTap,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given two orders, one of which has moved on (its workflow asked for approval)
    stuck = http.post(order_body()).body["order_id"]
    moving = http.post(order_body()).body["order_id"]
    table = boto3.resource("dynamodb").Table(orders.tables["orders"])
    table.update_item(
        Key={"order_id": moving},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": "awaiting_approval"},
    )
    monkeypatch.setenv("ORDERS_STUCK_AFTER_SECONDS", "1")
    sweeper.dependencies.cache_clear()

    # When the sweeper runs after the threshold
    def sweep() -> int:
        result = sweeper.lambda_handler({}, cast(LambdaContext, FakeLambdaContext()))
        return int(result["republished"])

    wait_until(sweep, timeout=10, what="the stuck order to be swept")

    # Then only the stuck order's OrderPlaced went out, with the event id stored on it
    events = wait_until(
        lambda: [e for e in bus_tap.collect() if e.detail_type == "OrderPlaced"],
        what="the republished OrderPlaced",
    )
    stored = orders_table.item(stuck)
    assert stored is not None
    assert {e.order_id for e in events} == {stuck}
    assert {e.detail["metadata"]["event_id"] for e in events} == {stored["placed_event_id"]}
    sweeper.dependencies.cache_clear()


def test_nothing_is_republished_before_the_threshold(http: Http) -> None:
    http.post(order_body())
    sweeper.dependencies.cache_clear()

    result = sweeper.lambda_handler({}, cast(LambdaContext, FakeLambdaContext()))

    assert result == {"republished": 0}  # the local threshold (15 s) has not passed
    sweeper.dependencies.cache_clear()
