"""The token table (DynamoDB): one item per order, keyed by order id, deleted by TTL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed
from services.workflow.domain.ports import TokenRecord, TokenStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


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
                ExpressionAttributeValues=_attributes(
                    {":requested": _timestamp(record.requested_at)}
                ),
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def get(self, order_id: str) -> TokenRecord | None:
        item = self._client.get_item(
            TableName=self._table, Key=_attributes({"order_id": order_id}), ConsistentRead=True
        ).get("Item")
        return _record(item) if item else None

    def mark_announced(self, order_id: str, task_token: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_attributes({"order_id": order_id}),
                UpdateExpression="SET #status = :announced",
                ConditionExpression="task_token = :token AND #status = :stored",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=_attributes(
                    {
                        ":token": task_token,
                        ":stored": TokenStatus.STORED.value,
                        ":announced": TokenStatus.ANNOUNCED.value,
                    }
                ),
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
                Key=_attributes({"order_id": order_id}),
                UpdateExpression=(
                    "SET #status = :used, decision = :decision, outcome = :outcome, used_at = :at"
                ),
                ConditionExpression="task_token = :token AND #status <> :used",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=_attributes(
                    {
                        ":token": task_token,
                        ":used": TokenStatus.USED.value,
                        ":decision": decision,
                        ":outcome": outcome,
                        ":at": _timestamp(at),
                    }
                ),
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True


def _attributes(values: Mapping[str, Any]) -> dict[str, AttributeValueTypeDef]:
    return {name: _serialize(value) for name, value in values.items()}


def _item(record: TokenRecord) -> dict[str, AttributeValueTypeDef]:
    fields: dict[str, Any] = {
        "order_id": record.order_id,
        "task_token": record.task_token,
        "execution_arn": record.execution_arn,
        "requested_at": _timestamp(record.requested_at),
        "approval_deadline": _timestamp(record.approval_deadline),
        "expires_at": int(record.expires_at.timestamp()),  # TTL: epoch seconds
        "status": record.status.value,
        "decision": record.decision,
        "outcome": record.outcome,
        "used_at": _timestamp(record.used_at) if record.used_at is not None else None,
    }
    return _attributes({name: value for name, value in fields.items() if value is not None})


def _record(item: Mapping[str, AttributeValueTypeDef]) -> TokenRecord:
    fields = {name: _deserialize(value) for name, value in item.items()}
    used_at = fields.get("used_at")
    return TokenRecord(
        order_id=fields["order_id"],
        task_token=fields["task_token"],
        execution_arn=fields["execution_arn"],
        requested_at=_datetime(fields["requested_at"]),
        approval_deadline=_datetime(fields["approval_deadline"]),
        expires_at=datetime.fromtimestamp(int(fields["expires_at"]), UTC),
        status=TokenStatus(fields["status"]),
        decision=fields.get("decision"),
        outcome=fields.get("outcome"),
        used_at=_datetime(used_at) if used_at else None,
    )
