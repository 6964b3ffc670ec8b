"""No lost order: the outbox outlasts a long bus outage, and the sweeper catches the rest."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from local.outages import Outage, bus_outage
from tests.integration.journeys.conftest import StackFactory, place_order
from tests.integration.journeys.test_order_journeys import wait_for_email
from tests.support.polling import wait_until


@pytest.fixture
def outage() -> Iterator[Outage]:
    installed = bus_outage().install()
    yield installed
    installed.uninstall()


def stored_event_id(table: str, order_id: str) -> str:
    item = boto3.resource("dynamodb").Table(table).get_item(Key={"order_id": order_id})["Item"]
    return str(item["placed_event_id"])


def test_an_order_placed_during_a_long_bus_outage_still_gets_its_order_placed_and_email(
    make_stack: StackFactory, outage: Outage
) -> None:
    # Given the bus refuses PutEvents for longer than the old ten stream retries lasted
    stack = make_stack()
    outage.start(12)

    # When a customer places an order during the outage
    order_id = place_order(stack, "outage@example.com")
    wait_until(lambda: outage.refused >= 3, timeout=15, what="the outbox retrying")
    assert stack.tap.for_order(order_id, "OrderPlaced") == []

    # Then once the bus is back, the order's own OrderPlaced goes out and the email arrives
    email = wait_for_email(stack, order_id, "received", timeout=40)
    assert order_id in email.subject
    placed = stack.tap.for_order(order_id, "OrderPlaced")
    table = stack.provisioned["orders"].tables["orders"]
    assert {e.detail["metadata"]["event_id"] for e in placed} == {stored_event_id(table, order_id)}
    stack.wait_until_idle(timeout=60)
    received = [m for m in stack.mailbox.items() if m.kind == "email" and order_id in m.subject]
    assert len(received) == 1


def test_the_outbox_publishes_inserts_only(make_stack: StackFactory) -> None:
    stack = make_stack()
    order_id = place_order(stack, "inserts@example.com")
    wait_for_email(stack, order_id, "received", timeout=30)
    stack.wait_until_idle(timeout=60)  # status updates (MODIFY) have gone through the stream

    outbox = stack.functions["orders/outbox"]
    assert outbox.invocations == 1
