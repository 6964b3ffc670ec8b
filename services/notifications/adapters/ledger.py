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
    from mypy_boto3_dynamodb.service_resource import Table


class DynamoDbSentEmailLedger:
    def __init__(self, table: Table) -> None:
        self._table = table

    def claim(self, claim: Claim) -> bool:
        try:
            self._table.put_item(
                Item={
                    **_key(claim.order_id, claim.kind),
                    "status": "sending",
                    "claim_id": claim.claim_id,
                    "event_id": claim.event_id,
                    "claimed_at": claim.claimed_at.isoformat(),
                },
                ConditionExpression="attribute_not_exists(order_id)",
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def entry(self, order_id: str, kind: EmailKind) -> LedgerEntry | None:
        item = self._table.get_item(Key=_key(order_id, kind), ConsistentRead=True).get("Item")
        if item is None:
            return None
        message_id, sent_at = item.get("message_id"), item.get("sent_at")
        return LedgerEntry(
            order_id=order_id,
            kind=kind,
            status=cast(LedgerStatus, item["status"]),
            claim_id=str(item["claim_id"]),
            claimed_at=datetime.fromisoformat(str(item["claimed_at"])),
            message_id=None if message_id is None else str(message_id),
            sent_at=None if sent_at is None else datetime.fromisoformat(str(sent_at)),
        )

    def release(self, claim: Claim) -> None:
        try:
            self._table.delete_item(
                Key=_key(claim.order_id, claim.kind),
                ConditionExpression="claim_id = :claim AND #status = :sending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":claim": claim.claim_id, ":sending": "sending"},
            )
        except ClientError as error:
            # A failed condition means it is no longer our unsent claim: nothing of ours to drop.
            if not is_condition_failed(error):
                raise

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        self._table.update_item(
            Key=_key(claim.order_id, claim.kind),
            UpdateExpression="SET #status = :sent, message_id = :message, sent_at = :sent_at",
            ConditionExpression="claim_id = :claim",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":sent": "sent",
                ":message": message_id,
                ":sent_at": sent_at.isoformat(),
                ":claim": claim.claim_id,
            },
        )


def _key(order_id: str, kind: EmailKind) -> dict[str, str]:
    return {"order_id": order_id, "kind": kind.value}
