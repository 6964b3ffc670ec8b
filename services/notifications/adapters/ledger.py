"""The sent-email ledger on DynamoDB: one item per (order_id, kind), claimed before sending.

Items hold the order id, the kind, the claim, the triggering event's id and, once sent, the
SES message id and time; never the customer's address or name.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed
from services.notifications.models import Claim, EmailKind, LedgerEntry, LedgerStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


class DynamoDbSentEmailLedger:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def claim(self, claim: Claim) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **_key(claim.order_id, claim.kind),
                    "status": {"S": "sending"},
                    "claim_id": {"S": claim.claim_id},
                    "event_id": {"S": claim.event_id},
                    "claimed_at": {"S": claim.claimed_at.isoformat()},
                },
                ConditionExpression="attribute_not_exists(order_id)",
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def entry(self, order_id: str, kind: EmailKind) -> LedgerEntry | None:
        item = self._client.get_item(
            TableName=self._table, Key=_key(order_id, kind), ConsistentRead=True
        ).get("Item")
        if item is None:
            return None
        return LedgerEntry(
            order_id=order_id,
            kind=kind,
            status=cast(LedgerStatus, item["status"]["S"]),
            claim_id=item["claim_id"]["S"],
            claimed_at=datetime.fromisoformat(item["claimed_at"]["S"]),
            message_id=item["message_id"]["S"] if "message_id" in item else None,
            sent_at=datetime.fromisoformat(item["sent_at"]["S"]) if "sent_at" in item else None,
        )

    def release(self, claim: Claim) -> None:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=_key(claim.order_id, claim.kind),
                ConditionExpression="claim_id = :claim AND #status = :sending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":claim": {"S": claim.claim_id},
                    ":sending": {"S": "sending"},
                },
            )
        except ClientError as error:
            # A failed condition means it is no longer our unsent claim: nothing of ours to drop.
            if not is_condition_failed(error):
                raise

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=_key(claim.order_id, claim.kind),
            UpdateExpression="SET #status = :sent, message_id = :message, sent_at = :sent_at",
            ConditionExpression="claim_id = :claim",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":sent": {"S": "sent"},
                ":message": {"S": message_id},
                ":sent_at": {"S": sent_at.isoformat()},
                ":claim": {"S": claim.claim_id},
            },
        )


def _key(order_id: str, kind: EmailKind) -> dict[str, AttributeValueTypeDef]:
    return {"order_id": {"S": order_id}, "kind": {"S": kind.value}}
