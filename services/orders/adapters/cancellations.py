"""Customers' cancellation requests, as items of the orders table.

A request lives beside its order under ``<order id>#cancellation`` (``#`` is never in an order
id), marked ``kind = cancellation-request``: its INSERT on the table's stream is the outbox
entry that publishes OrderCancellationRequested, as an order's INSERT publishes OrderPlaced.
It has no ``placed_at`` (so the customer index leaves it out) and no ``status`` (so the
sweeper's scan does too), and it outlives the order's deletion until its TTL, so asking again
reads the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from botocore.exceptions import ClientError

from events.models import Metadata, OrderCancellationRequested, OrderCancellationRequestedData
from services.common.dynamo import is_condition_failed
from services.orders.domain.ports import CancellationOutcome, CancellationRequest

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

KIND = "cancellation-request"
# Long enough to answer a customer asking again; the order's own record is gone by then.
RETENTION = timedelta(days=30)


def request_key(order_id: str) -> str:
    return f"{order_id}#cancellation"


def is_cancellation_item(item: Mapping[str, Any]) -> bool:
    return item.get("kind") == KIND


def _item(request: CancellationRequest) -> dict[str, Any]:
    return {
        "order_id": request_key(request.order_id),
        "kind": KIND,
        "cancelled_order_id": request.order_id,
        "customer_id": request.customer_id,
        "requested_at": request.requested_at.isoformat(),
        "event_id": str(request.event_id),
        "outcome": request.outcome.value,
        "expires_at": int((request.requested_at + RETENTION).timestamp()),
    }


def _request(item: Mapping[str, Any]) -> CancellationRequest:
    def when(name: str) -> datetime | None:
        value = item.get(name)
        return None if value is None else datetime.fromisoformat(str(value))

    return CancellationRequest(
        order_id=str(item["cancelled_order_id"]),
        customer_id=str(item["customer_id"]),
        requested_at=datetime.fromisoformat(str(item["requested_at"])),
        event_id=uuid.UUID(str(item["event_id"])),
        outcome=CancellationOutcome(str(item["outcome"])),
        answered_at=when("answered_at"),
        because=None if item.get("because") is None else str(item["because"]),
        decided_at=when("decided_at"),
    )


def requested_cancellation(record: DynamoDBRecord) -> OrderCancellationRequested | None:
    """The OrderCancellationRequested a stream record publishes: only a request's INSERT."""
    if record.event_name is not DynamoDBRecordEventName.INSERT or record.dynamodb is None:
        return None
    image = record.dynamodb.new_image
    if not is_cancellation_item(image):
        return None
    request = _request(image)
    return OrderCancellationRequested(
        metadata=Metadata(
            event_id=request.event_id,
            event_version=OrderCancellationRequested.version,
            occurred_at=request.requested_at,
            correlation_id=request.order_id,
        ),
        data=OrderCancellationRequestedData(
            order_id=request.order_id,
            customer_id=request.customer_id,
            requested_at=request.requested_at,
        ),
    )


class DynamoCancellations:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, request: CancellationRequest) -> bool:
        try:
            self._table.put_item(
                Item=_item(request), ConditionExpression="attribute_not_exists(order_id)"
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def get(self, order_id: str) -> CancellationRequest | None:
        key = {"order_id": request_key(order_id)}
        item = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
        return None if item is None or not is_cancellation_item(item) else _request(item)

    def answer(
        self,
        order_id: str,
        outcome: CancellationOutcome,
        at: datetime,
        *,
        because: str | None = None,
        decided_at: datetime | None = None,
    ) -> bool:
        values: dict[str, Any] = {
            ":outcome": outcome.value,
            ":at": at.isoformat(),
            ":pending": CancellationOutcome.PENDING.value,
            ":kind": KIND,
        }
        assignments = ["#outcome = :outcome", "answered_at = :at"]
        if because is not None:
            assignments.append("because = :because")
            values[":because"] = because
        if decided_at is not None:
            assignments.append("decided_at = :decided_at")
            values[":decided_at"] = decided_at.isoformat()
        try:
            self._table.update_item(
                Key={"order_id": request_key(order_id)},
                UpdateExpression="SET " + ", ".join(assignments),
                # Only an existing, unanswered request: the first answer is the one that counts.
                ConditionExpression="#kind = :kind AND #outcome = :pending",
                ExpressionAttributeNames={"#kind": "kind", "#outcome": "outcome"},
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True
