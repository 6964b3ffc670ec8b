"""The token table (DynamoDB): one item per order, keyed by order id, deleted by TTL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed
from services.workflow.domain.ports import TokenRecord, TokenStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


def _timestamp(value: datetime) -> str:
    # One fixed-width UTC form, so timestamps compare correctly as strings in conditions.
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


class DynamoTokenStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, record: TokenRecord) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_item(record),
                # A newer request (a later token of the same order) replaces an older one;
                # the same request again, or an older one, leaves the record alone.
                ConditionExpression="attribute_not_exists(order_id) OR requested_at < :requested",
                ExpressionAttributeValues={":requested": {"S": _timestamp(record.requested_at)}},
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def get(self, order_id: str) -> TokenRecord | None:
        item = self._client.get_item(
            TableName=self._table, Key={"order_id": {"S": order_id}}, ConsistentRead=True
        ).get("Item")
        return _record(item) if item else None

    def mark_announced(self, order_id: str, task_token: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"order_id": {"S": order_id}},
                UpdateExpression="SET #status = :announced",
                ConditionExpression="task_token = :token AND #status = :stored",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":token": {"S": task_token},
                    ":stored": {"S": TokenStatus.STORED.value},
                    ":announced": {"S": TokenStatus.ANNOUNCED.value},
                },
            )
        except ClientError as error:
            if not is_condition_failed(error):
                raise

    def mark_used(
        self, order_id: str, task_token: str, *, decision: str, outcome: str, at: datetime
    ) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"order_id": {"S": order_id}},
                UpdateExpression=(
                    "SET #status = :used, decision = :decision, outcome = :outcome, used_at = :at"
                ),
                ConditionExpression="task_token = :token AND #status <> :used",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":token": {"S": task_token},
                    ":used": {"S": TokenStatus.USED.value},
                    ":decision": {"S": decision},
                    ":outcome": {"S": outcome},
                    ":at": {"S": _timestamp(at)},
                },
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True


def _item(record: TokenRecord) -> dict[str, AttributeValueTypeDef]:
    item: dict[str, AttributeValueTypeDef] = {
        "order_id": {"S": record.order_id},
        "task_token": {"S": record.task_token},
        "execution_arn": {"S": record.execution_arn},
        "requested_at": {"S": _timestamp(record.requested_at)},
        "approval_deadline": {"S": _timestamp(record.approval_deadline)},
        "expires_at": {"N": str(int(record.expires_at.timestamp()))},  # TTL: epoch seconds
        "status": {"S": record.status.value},
    }
    if record.decision is not None:
        item["decision"] = {"S": record.decision}
    if record.outcome is not None:
        item["outcome"] = {"S": record.outcome}
    if record.used_at is not None:
        item["used_at"] = {"S": _timestamp(record.used_at)}
    return item


def _record(item: dict[str, AttributeValueTypeDef]) -> TokenRecord:
    def text(name: str) -> str | None:
        value = item.get(name)
        return value["S"] if value else None

    used_at = text("used_at")
    return TokenRecord(
        order_id=item["order_id"]["S"],
        task_token=item["task_token"]["S"],
        execution_arn=item["execution_arn"]["S"],
        requested_at=_datetime(item["requested_at"]["S"]),
        approval_deadline=_datetime(item["approval_deadline"]["S"]),
        expires_at=datetime.fromtimestamp(int(item["expires_at"]["N"]), UTC),
        status=TokenStatus(item["status"]["S"]),
        decision=text("decision"),
        outcome=text("outcome"),
        used_at=_datetime(used_at) if used_at else None,
    )
