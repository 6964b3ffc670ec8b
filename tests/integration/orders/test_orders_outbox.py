"""The outbox on moto: the orders table's stream publishes each new order's OrderPlaced."""

from __future__ import annotations

from typing import cast

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import OrderPlaced
from local.bus_tap import BusTap, TappedEvent
from local.provision import ProvisionedService
from services.orders.handlers import outbox, status
from tests.integration.orders.conftest import Http, OrdersTable, Triggers, stream_records
from tests.support.context import FakeLambdaContext
from tests.support.events import sqs_event
from tests.support.orders import order_body, order_cancelled
from tests.support.polling import wait_until
from tools.contract.schemas import validate_detail

CONTEXT = cast(LambdaContext, FakeLambdaContext(function_name="orders-outbox"))


def placed_events(tap: BusTap) -> list[TappedEvent]:
    return [e for e in tap.collect() if e.detail_type == "OrderPlaced"]


def test_a_placed_order_is_announced_on_the_bus(
    http: Http, orders_table: OrdersTable, triggers: Triggers, bus_tap: BusTap
) -> None:
    order = http.post(order_body()).body

    triggers.run_outbox()

    (published,) = wait_until(
        lambda: placed_events(bus_tap), count=1, what="an OrderPlaced on the bus"
    )
    assert published.source == "shop.orders"
    event = OrderPlaced.model_validate(published.detail)
    assert event.order_id == order["order_id"]
    assert event.metadata.correlation_id == order["order_id"]
    stored = orders_table.item(order["order_id"])
    assert stored is not None
    assert str(event.metadata.event_id) == stored["placed_event_id"]
    assert event.data.model_dump(mode="json") == {
        "order_id": order["order_id"],
        "customer": order["customer"],
        "items": order["items"],
        "total": "21.00",
        "currency": "EUR",
        "placed_at": order["placed_at"],
    }
    validate_detail("OrderPlaced", published.detail)  # the committed, published contract


def test_a_replayed_stream_record_publishes_the_same_event(
    orders: ProvisionedService, http: Http, bus_tap: BusTap
) -> None:
    http.post(order_body())
    (insert,) = stream_records(orders)

    first = outbox.lambda_handler({"Records": [insert]}, CONTEXT)
    replay = outbox.lambda_handler({"Records": [insert]}, CONTEXT)

    assert first == replay == {"batchItemFailures": []}
    one, two = wait_until(lambda: placed_events(bus_tap), count=2, what="two deliveries")
    assert one.detail == two.detail  # same event_id: consumers deduplicate on it


def test_status_changes_and_deletions_publish_nothing(
    orders: ProvisionedService, http: Http, bus_tap: BusTap
) -> None:
    order = http.post(order_body()).body
    status.lambda_handler(sqs_event(order_cancelled(order)), CONTEXT)
    insert, remove = stream_records(orders)
    assert (insert["eventName"], remove["eventName"]) == ("INSERT", "REMOVE")
    modify = {**insert, "eventName": "MODIFY", "eventID": "modify"}

    response = outbox.lambda_handler({"Records": [modify, remove]}, CONTEXT)

    assert response == {"batchItemFailures": []}
    assert bus_tap.collect() == []  # publishing is synchronous: nothing more is on its way


def test_a_malformed_record_fails_alone(
    orders: ProvisionedService, http: Http, bus_tap: BusTap
) -> None:
    http.post(order_body())
    http.post(order_body(items=[{"sku": "matcha", "quantity": 1}]))
    first, second = stream_records(orders)
    broken = {
        **first,
        "eventID": "broken",
        "dynamodb": {
            **first["dynamodb"],
            "SequenceNumber": "999",
            "NewImage": {"order_id": {"S": "ord_broken"}},  # not an order
        },
    }

    response = outbox.lambda_handler({"Records": [first, broken, second]}, CONTEXT)

    assert response == {"batchItemFailures": [{"itemIdentifier": "999"}]}
    published = wait_until(lambda: placed_events(bus_tap), count=2, what="the two good orders")
    assert {e.detail["data"]["currency"] for e in published} == {"EUR", "JPY"}


def test_order_placed_is_retried_when_the_bus_refuses_it(
    orders: ProvisionedService, http: Http, bus_tap: BusTap, monkeypatch: pytest.MonkeyPatch
) -> None:
    http.post(order_body())
    (insert,) = stream_records(orders)
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    outbox.publisher.cache_clear()

    # A batch whose every record failed is raised, so the stream retries all of it.
    with pytest.raises(BatchProcessingError):
        outbox.lambda_handler({"Records": [insert]}, CONTEXT)

    monkeypatch.setenv("EVENT_BUS_NAME", orders.env["EVENT_BUS_NAME"])
    outbox.publisher.cache_clear()
    assert outbox.lambda_handler({"Records": [insert]}, CONTEXT) == {"batchItemFailures": []}
    assert (
        len(wait_until(lambda: placed_events(bus_tap), count=1, what="the retried OrderPlaced"))
        == 1
    )
