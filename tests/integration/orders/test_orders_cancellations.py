"""A customer's cancellation request on the orders table (moto): stored once beside the order,
published by the outbox from its INSERT, answered by the arbiter's event, and never mistaken
for an order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from boto3.dynamodb.types import TypeSerializer

from events.models import ApprovalWithdrawn, OrderCancellationRefused
from local.provision import ProvisionedService
from services.orders.adapters.cancellations import (
    DynamoCancellations,
    request_key,
    requested_cancellation,
)
from services.orders.adapters.dynamodb import DynamoOrdersStore
from services.orders.domain.cancelling import (
    CancelDependencies,
    cancel_order,
    record_answer,
    refusal_message,
)
from services.orders.domain.ports import CancellationOutcome
from services.orders.models import OrderStatus
from tests.support.orders import PLACED_AT, example
from tests.unit.orders.samples import CUSTOMER_ID, ORDER_ID, order

NOW = PLACED_AT + timedelta(minutes=1)


class Clock:
    """Time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = NOW
        self.slept = 0.0

    def __call__(self) -> Any:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def table(orders: ProvisionedService) -> Any:
    return boto3.resource("dynamodb").Table(orders.tables["orders"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deps(table: Any, clock: Clock) -> CancelDependencies:
    return CancelDependencies(
        orders=DynamoOrdersStore(table),
        cancellations=DynamoCancellations(table),
        clock=clock,
        sleep=clock.sleep,
        wait=timedelta(seconds=1),
    )


def stream_insert(item: dict[str, Any]) -> DynamoDBRecord:
    image = {name: TypeSerializer().serialize(value) for name, value in item.items()}
    return DynamoDBRecord({"eventName": "INSERT", "dynamodb": {"NewImage": image}})


def test_an_unanswered_cancellation_is_pending_after_the_bounded_wait(
    deps: CancelDependencies, table: Any, clock: Clock
) -> None:
    deps.orders.create(order(OrderStatus.AWAITING_APPROVAL))

    request = cancel_order(ORDER_ID, CUSTOMER_ID, deps)

    assert request is not None
    assert request.outcome is CancellationOutcome.PENDING
    assert 1.0 <= clock.slept < 1.5
    # and the stored item is the outbox entry of its OrderCancellationRequested
    item = table.get_item(Key={"order_id": request_key(ORDER_ID)}, ConsistentRead=True)["Item"]
    event = requested_cancellation(stream_insert(item))
    assert event is not None
    assert (event.data.order_id, event.data.customer_id) == (ORDER_ID, CUSTOMER_ID)
    assert event.metadata.event_id == request.event_id
    # and it is no order: not read as one, not listed
    assert deps.orders.get(request_key(ORDER_ID)) is None
    listed, _ = deps.orders.list_for_customer(CUSTOMER_ID, limit=10, after=None)
    assert [o.order_id for o in listed] == [ORDER_ID]


def test_the_arbiters_answer_is_what_asking_again_reads(deps: CancelDependencies) -> None:
    deps.orders.create(order(OrderStatus.AWAITING_APPROVAL))
    first = cancel_order(ORDER_ID, CUSTOMER_ID, deps)
    assert first is not None
    withdrawn = example(ApprovalWithdrawn, order_id=ORDER_ID, withdrawn_at=NOW)

    assert record_answer(withdrawn, cancellations=deps.cancellations) == "answered"
    assert record_answer(withdrawn, cancellations=deps.cancellations) == "already-answered"
    deps.orders.delete(ORDER_ID)  # the workflow's OrderCancelled deletes the order

    again = cancel_order(ORDER_ID, CUSTOMER_ID, deps)
    assert again is not None
    assert again.outcome is CancellationOutcome.CANCELLED
    assert again.event_id == first.event_id  # asked once
    assert cancel_order(ORDER_ID, "someone-else", deps) is None


def test_a_refusal_says_what_came_first_and_when(deps: CancelDependencies) -> None:
    deps.orders.create(order(OrderStatus.AWAITING_APPROVAL))
    cancel_order(ORDER_ID, CUSTOMER_ID, deps)
    decided_at = NOW - timedelta(seconds=30)
    refused = example(
        OrderCancellationRefused,
        order_id=ORDER_ID,
        refused_at=NOW,
        because="approved",
        decided_at=decided_at,
    )
    record_answer(refused, cancellations=deps.cancellations)

    answer = cancel_order(ORDER_ID, CUSTOMER_ID, deps)

    assert answer is not None
    assert (answer.outcome, answer.because, answer.decided_at) == (
        CancellationOutcome.REFUSED,
        "approved",
        decided_at,
    )
    assert refusal_message(answer) == (
        f"too late to cancel: the order was already approved at {decided_at.isoformat()}"
    )


def test_a_shipped_order_is_refused_at_once_without_asking(
    deps: CancelDependencies, clock: Clock
) -> None:
    deps.orders.create(order(OrderStatus.SHIPPED))

    answer = cancel_order(ORDER_ID, CUSTOMER_ID, deps)

    assert answer is not None
    assert (answer.outcome, answer.because) == (CancellationOutcome.REFUSED, "approved")
    assert clock.slept == 0
    assert deps.cancellations.get(ORDER_ID) is None


def test_someone_elses_or_an_unknown_order_is_none(deps: CancelDependencies) -> None:
    deps.orders.create(order(OrderStatus.AWAITING_APPROVAL))

    assert cancel_order(ORDER_ID, "someone-else", deps) is None
    assert cancel_order("ord_unknown", CUSTOMER_ID, deps) is None
    assert deps.cancellations.get(ORDER_ID) is None
