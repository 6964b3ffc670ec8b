"""The orders table on DynamoDB, and the item layout the outbox also reads from the stream."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError
from pydantic import ValidationError

from services.common.dynamo import is_condition_failed
from services.common.errors import field_problems
from services.orders.domain.ports import (
    OrderAlreadyExistsError,
    Position,
    StatusChange,
    sortable_time,
)
from services.orders.indexes import ORDERS_BY_CUSTOMER_INDEX
from services.orders.models import Order, OrderStatus

if TYPE_CHECKING:
    # A type only: Powertools' data classes package loads every event source's classes,
    # which the functions that never read a stream should not pay for at a cold start.
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
        DynamoDBRecord,
    )
    from mypy_boto3_dynamodb.service_resource import Table


def item_from_order(order: Order) -> dict[str, Any]:
    # An index key attribute cannot be NULL: an order without an owner has none at all.
    item = order.model_dump(mode="json", exclude_none=True)
    # The rank is what conditional updates compare; the status name is what people read.
    item["status_rank"] = order.status.rank
    # The customer index sorts on this text: fixed width in UTC, so text order is time order.
    item["placed_at"] = sortable_time(order.placed_at)
    return item


class MalformedOrderItemError(ValueError):
    """A table item or stream image that is not an order. Names the fields and what is wrong
    with them, never their values (one may be the customer's email address)."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(f"not an order item: {field_problems(error, root='(item)')}")


def order_from_item(item: Mapping[str, Any]) -> Order:
    """An order from a table item or a stream image (numbers arrive as Decimal, which
    pydantic turns into int only when integral)."""
    fields = {key: value for key, value in item.items() if key != "status_rank"}
    try:
        return Order.model_validate(fields)
    except ValidationError as error:
        raise MalformedOrderItemError(error) from None


def placed_order(record: DynamoDBRecord) -> Order | None:
    """The order a stream record places: only INSERTs are orders being placed; status updates
    (MODIFY) and cancellations (REMOVE) are None."""
    event_name = record.event_name
    if event_name is None or event_name.name != "INSERT" or record.dynamodb is None:
        return None
    return order_from_item(record.dynamodb.new_image)


class DynamoOrdersStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def create(self, order: Order) -> None:
        try:
            self._table.put_item(
                Item=item_from_order(order),
                ConditionExpression="attribute_not_exists(order_id)",
            )
        except ClientError as error:
            if is_condition_failed(error):
                raise OrderAlreadyExistsError(order.order_id) from error
            raise

    def get(self, order_id: str) -> Order | None:
        # Consistent: a client that just placed an order must be able to read it back.
        item = self._table.get_item(Key={"order_id": order_id}, ConsistentRead=True).get("Item")
        # The table also keeps cancellation requests (adapters/cancellations.py): not orders.
        return None if item is None or "kind" in item else order_from_item(item)

    def list_for_customer(
        self, customer_id: str, *, limit: int, after: Position | None
    ) -> tuple[list[Order], Position | None]:
        # A global index reads eventually consistent: an order placed a moment ago may show
        # up on the next call (reading it by id is consistent).
        query: dict[str, Any] = {
            "IndexName": ORDERS_BY_CUSTOMER_INDEX,
            "KeyConditionExpression": "customer_id = :customer",
            "ExpressionAttributeValues": {":customer": customer_id},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after is not None:
            query["ExclusiveStartKey"] = {
                "customer_id": customer_id,
                "placed_at": after.placed_at,
                "order_id": after.order_id,
            }
        response = self._table.query(**query)
        orders = [order_from_item(item) for item in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        if last is None:
            return orders, None
        return orders, Position(placed_at=str(last["placed_at"]), order_id=str(last["order_id"]))

    def advance_status(self, order_id: str, status: OrderStatus, at: datetime) -> StatusChange:
        try:
            self._table.update_item(
                Key={"order_id": order_id},
                UpdateExpression="SET #status = :status, status_rank = :rank, updated_at = :at",
                ConditionExpression="attribute_exists(order_id) AND status_rank < :rank",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":status": status.value,
                    ":rank": status.rank,
                    ":at": at.isoformat(),
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not is_condition_failed(error):
                raise
            # With ALL_OLD the failure carries the current item, if there is one.
            return StatusChange.NOT_FORWARD if "Item" in error.response else StatusChange.MISSING
        return StatusChange.ADVANCED

    def delete(self, order_id: str) -> bool:
        response = self._table.delete_item(Key={"order_id": order_id}, ReturnValues="ALL_OLD")
        return "Attributes" in response

    def placed_before(self, cutoff: datetime) -> Iterator[Order]:
        # A filtered scan: the sweeper runs every few minutes over a table that keeps only
        # open orders (cancelled ones are deleted). A sparse index on "still placed" would
        # replace it if the table grows large.
        scan: dict[str, Any] = {
            "FilterExpression": Attr("status").eq(OrderStatus.PLACED.value),
            "ConsistentRead": True,
        }
        while True:
            page = self._table.scan(**scan)
            for item in page.get("Items", []):
                order = order_from_item(item)
                if order.placed_at < cutoff:
                    yield order
            if "LastEvaluatedKey" not in page:
                return
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
