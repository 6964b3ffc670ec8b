"""The sent-email ledger on DynamoDB: one item per (order_id, kind), claimed before sending.

Items hold the order id, the kind, the claim, the triggering event's id, the number of send
attempts and, once known, the SES message id, when it was sent and how it ended (status and
reason); never the customer's address or name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, cast

from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed
from services.notifications.models import (
    STATUS_RANK,
    Claim,
    DeliveryReport,
    EmailKind,
    LedgerEntry,
    LedgerStatus,
)

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
                    "attempts": {"N": "1"},
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
            attempts=int(item.get("attempts", {"N": "1"})["N"]),
            reason=item["reason"]["S"] if "reason" in item else None,
        )

    def take_over(self, stale: LedgerEntry, claim: Claim) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(claim.order_id, claim.kind),
                UpdateExpression=(
                    "SET claim_id = :claim, event_id = :event, claimed_at = :at ADD attempts :one"
                ),
                ConditionExpression="claim_id = :stale AND #status = :sending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":claim": {"S": claim.claim_id},
                    ":event": {"S": claim.event_id},
                    ":at": {"S": claim.claimed_at.isoformat()},
                    ":one": {"N": "1"},
                    ":stale": {"S": stale.claim_id},
                    ":sending": {"S": "sending"},
                },
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def release(self, claim: Claim) -> None:
        # A failed condition means it is no longer our unsent claim: nothing of ours to drop.
        with _condition_may_fail():
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

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        # SES's own report may have got here first (and further): then it already says more.
        with _condition_may_fail():
            self._client.update_item(
                TableName=self._table,
                Key=_key(claim.order_id, claim.kind),
                UpdateExpression=("SET #status = :sent, message_id = :message, sent_at = :sent_at"),
                ConditionExpression="claim_id = :claim AND #status = :sending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":sent": {"S": "sent"},
                    ":message": {"S": message_id},
                    ":sent_at": {"S": sent_at.isoformat()},
                    ":claim": {"S": claim.claim_id},
                    ":sending": {"S": "sending"},
                },
            )

    def mark_failed(self, claim: Claim, *, reason: str, at: datetime) -> None:
        with _condition_may_fail():
            self._client.update_item(
                TableName=self._table,
                Key=_key(claim.order_id, claim.kind),
                UpdateExpression="SET #status = :failed, reason = :reason, ended_at = :at",
                ConditionExpression="claim_id = :claim AND #status = :sending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":failed": {"S": "failed"},
                    ":reason": {"S": reason},
                    ":at": {"S": at.isoformat()},
                    ":claim": {"S": claim.claim_id},
                    ":sending": {"S": "sending"},
                },
            )

    def record(self, report: DeliveryReport) -> bool:
        behind = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[report.status]]
        values: dict[str, AttributeValueTypeDef] = {
            ":status": {"S": report.status},
            ":message": {"S": report.message_id},
            ":at": {"S": report.at.isoformat()},
            **{f":behind{i}": {"S": status} for i, status in enumerate(behind)},
        }
        update = "SET #status = :status, message_id = :message, ended_at = :at"
        if report.status == "sent":
            update = "SET #status = :status, message_id = :message, sent_at = :at"
        if report.reason is not None:
            update += ", reason = :reason"
            values[":reason"] = {"S": report.reason}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(report.order_id, report.kind),
                UpdateExpression=update,
                ConditionExpression=(
                    "attribute_exists(order_id) AND #status IN ("
                    + ", ".join(f":behind{i}" for i in range(len(behind)))
                    + ")"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True


@contextlib.contextmanager
def _condition_may_fail() -> Iterator[None]:
    """A failed condition means the item is no longer in the state the write is for."""
    try:
        yield
    except ClientError as error:
        if not is_condition_failed(error):
            raise


def _key(order_id: str, kind: EmailKind) -> dict[str, AttributeValueTypeDef]:
    return {"order_id": {"S": order_id}, "kind": {"S": kind.value}}
