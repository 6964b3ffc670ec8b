"""The workflow's events on moto: status moves forward, a cancellation deletes the order."""

from __future__ import annotations

import json
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import Event
from events.publisher import EventBridgePublisher
from local.provision import ProvisionedService
from services.orders.handlers import status
from tests.integration.orders.conftest import Http, OrdersTable, Triggers
from tests.support.context import FakeLambdaContext
from tests.support.events import eventbridge_event, sqs_event
from tests.support.orders import (
    approval_requested,
    feedback_due,
    order_body,
    order_cancelled,
    order_placed,
    order_shipped,
)

CONTEXT = cast(LambdaContext, FakeLambdaContext(function_name="orders-status"))


def deliver(*events: Event, raw_bodies: tuple[str, ...] = ()) -> dict[str, Any]:
    """One SQS batch to the status function, as the queue's event source mapping sends it."""
    return dict(status.lambda_handler(sqs_event(*events, raw_bodies=raw_bodies), CONTEXT))


@pytest.fixture
def order(http: Http) -> dict[str, Any]:
    placed = http.post(order_body())
    assert placed.status == 201
    body: dict[str, Any] = placed.body
    return body


def test_the_workflow_moves_the_order_through_its_statuses(
    orders: ProvisionedService, http: Http, triggers: Triggers, order: dict[str, Any]
) -> None:
    # Through the real path: the bus, the declared subscription, the queue, the function.
    publisher = EventBridgePublisher(boto3.client("events"), orders.env["EVENT_BUS_NAME"])
    seen = []
    for event in (approval_requested(order), order_shipped(order), feedback_due(order)):
        publisher.publish([event])
        assert triggers.run_status() == 1
        read = http.get(order["order_id"]).body
        seen.append((read["status"], read["updated_at"]))

    assert seen == [
        ("awaiting_approval", "2026-11-21T09:01:00Z"),
        ("shipped", "2026-11-21T09:02:00Z"),
        ("feedback_requested", "2026-11-21T09:03:00Z"),
    ]


def test_a_cancelled_order_is_deleted(
    orders: ProvisionedService, http: Http, triggers: Triggers, order: dict[str, Any]
) -> None:
    publisher = EventBridgePublisher(boto3.client("events"), orders.env["EVENT_BUS_NAME"])
    publisher.publish([approval_requested(order), order_cancelled(order)])

    triggers.run_status()

    response = http.get(order["order_id"])
    assert response.status == 404
    assert response.body == {"statusCode": 404, "message": "order not found"}


def test_a_late_event_never_moves_the_status_back(
    http: Http, orders_table: OrdersTable, order: dict[str, Any]
) -> None:
    assert deliver(order_shipped(order)) == {"batchItemFailures": []}

    assert deliver(approval_requested(order)) == {"batchItemFailures": []}

    read = http.get(order["order_id"]).body
    assert (read["status"], read["updated_at"]) == ("shipped", "2026-11-21T09:02:00Z")


@pytest.mark.parametrize("make", [approval_requested, order_shipped, feedback_due, order_cancelled])
def test_a_duplicate_delivery_changes_nothing(
    orders_table: OrdersTable, order: dict[str, Any], make: Any
) -> None:
    event = make(order)
    assert deliver(event) == {"batchItemFailures": []}
    after_first = orders_table.item(order["order_id"])

    assert deliver(event, event) == {"batchItemFailures": []}

    assert orders_table.item(order["order_id"]) == after_first


@pytest.mark.parametrize("make", [approval_requested, order_shipped, feedback_due])
def test_an_event_for_a_deleted_order_does_not_bring_it_back(
    orders_table: OrdersTable, order: dict[str, Any], make: Any
) -> None:
    deliver(order_cancelled(order))

    assert deliver(make(order)) == {"batchItemFailures": []}

    assert orders_table.items() == []


def _envelope(detail_type: str, detail: Any) -> str:
    return json.dumps(
        {
            "version": "0",
            "id": "0b7a6d1e-0000-0000-0000-000000000000",
            "detail-type": detail_type,
            "source": "shop.workflow",
            "account": "123456789012",
            "time": "2026-11-21T09:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": detail,
        }
    )


@pytest.mark.parametrize(
    "bad_body",
    [
        pytest.param("not json at all", id="not json"),
        pytest.param(_envelope("OrderShipped", {"metadata": {}, "data": {}}), id="invalid detail"),
        pytest.param(_envelope("SomethingElse", {}), id="unknown event"),
    ],
)
def test_a_malformed_message_fails_alone(
    http: Http, orders_table: OrdersTable, order: dict[str, Any], bad_body: str
) -> None:
    good = approval_requested(order)
    event = sqs_event(good, raw_bodies=(bad_body,))
    bad_id = event["Records"][1]["messageId"]

    response = status.lambda_handler(event, CONTEXT)

    assert response == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    assert http.get(order["order_id"]).body["status"] == "awaiting_approval"


def test_an_event_this_function_does_not_consume_is_a_failure(order: dict[str, Any]) -> None:
    # OrderPlaced is not in the subscription: arriving here means a mis-wired rule.
    body = json.dumps(eventbridge_event(order_placed(order)))

    # A batch whose every record failed is raised: all of it goes back to the queue.
    with pytest.raises(BatchProcessingError):
        deliver(raw_bodies=(body,))
