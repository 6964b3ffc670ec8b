"""Orders' timelines on DynamoDB: one partition per order.

Items: the head (sort key ``order``: the customer id and, once cancelled, the expiry) and one
item per recorded event (sort key ``step#<event id>``: the step as JSON). ``expires_at``
(epoch seconds) is the table's TTL attribute, set on every item once the order is cancelled.
No address, name or item of the order is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed
from services.orders.domain.timeline import TimelineHead, TimelineStep

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

HEAD = "order"
STEP_PREFIX = "step#"


class DynamoTimelineStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def set_owner(self, order_id: str, customer_id: str) -> None:
        self._table.update_item(
            Key={"order_id": order_id, "entry": HEAD},
            UpdateExpression="SET customer_id = :customer",
            ExpressionAttributeValues={":customer": customer_id},
        )

    def add(self, order_id: str, event_id: str, step: TimelineStep) -> bool:
        entry = STEP_PREFIX + event_id
        item = {
            "order_id": order_id,
            "entry": entry,
            "step": step.model_dump_json(exclude_none=True),
        }
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(order_id)")
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        # Read after the write: ``expire_at`` sets the head before it lists the steps, so a
        # step written while the order is being cancelled is either listed there or sees it.
        if (expires := self._expiry(order_id)) is not None:
            self._set_expiry(order_id, entry, expires)
        return True

    def expire_at(self, order_id: str, at: datetime) -> None:
        epoch = int(at.timestamp())
        # Head first: a step added from now on sees it (``add``), the steps already there
        # are found below.
        self._set_expiry(order_id, HEAD, epoch)
        for entry in self._entries(order_id):
            if entry != HEAD:
                self._set_expiry(order_id, entry, epoch)

    def head(self, order_id: str) -> TimelineHead | None:
        item = self._table.get_item(
            Key={"order_id": order_id, "entry": HEAD}, ConsistentRead=True
        ).get("Item")
        if item is None:
            return None
        expires = item.get("expires_at")
        customer = item.get("customer_id")
        return TimelineHead(
            customer_id=str(customer) if customer is not None else None,
            expires_at=(
                datetime.fromtimestamp(int(str(expires)), tz=UTC) if expires is not None else None
            ),
        )

    def steps(self, order_id: str) -> list[TimelineStep]:
        steps = []
        for item in self._query(order_id, projection=("entry", "step")):
            if str(item["entry"]).startswith(STEP_PREFIX):
                steps.append(TimelineStep.model_validate_json(str(item["step"])))
        return steps

    def _expiry(self, order_id: str) -> int | None:
        item = self._table.get_item(
            Key={"order_id": order_id, "entry": HEAD},
            ConsistentRead=True,
            ProjectionExpression="expires_at",
        ).get("Item")
        expires = (item or {}).get("expires_at")
        return int(str(expires)) if expires is not None else None

    def _set_expiry(self, order_id: str, entry: str, epoch: int) -> None:
        self._table.update_item(
            Key={"order_id": order_id, "entry": entry},
            UpdateExpression="SET expires_at = :at",
            ExpressionAttributeValues={":at": epoch},
        )

    def _entries(self, order_id: str) -> list[str]:
        return [str(item["entry"]) for item in self._query(order_id, projection=("entry",))]

    def _query(self, order_id: str, *, projection: tuple[str, ...]) -> list[dict[str, Any]]:
        # Names through placeholders: attribute names may be DynamoDB reserved words.
        names = {f"#a{i}": name for i, name in enumerate(projection)}
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {}
        while True:
            page = self._table.query(
                KeyConditionExpression=Key("order_id").eq(order_id),
                ProjectionExpression=", ".join(names),
                ExpressionAttributeNames=names,
                ConsistentRead=True,
                **kwargs,
            )
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return items
            kwargs = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
