"""The sent-email ledger on DynamoDB: one item per (order_id, kind), claimed before sending.

Items hold the order id, the kind, the claim, the triggering event's id, the number of send
attempts and, once known, the SES message id, when it was sent and how it ended (status and
reason); never the customer's address or name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed
from services.notifications.models import (
    STATUS_RANK,
    Claim,
    DeliveryReport,
    EmailKind,
    EmailOutcome,
    LedgerEntry,
    LedgerStatus,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

# Every write but the first claim is for the claim still ``sending``, and only that one.
_STILL_OURS = "claim_id = :claim AND #status = :sending"
_STATUS = {"#status": "status"}


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
                    "attempts": 1,
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
        message_id, sent_at, reason = (
            item.get("message_id"),
            item.get("sent_at"),
            item.get("reason"),
        )
        return LedgerEntry(
            order_id=order_id,
            kind=kind,
            status=cast(LedgerStatus, item["status"]),
            claim_id=str(item["claim_id"]),
            claimed_at=datetime.fromisoformat(str(item["claimed_at"])),
            message_id=None if message_id is None else str(message_id),
            sent_at=None if sent_at is None else datetime.fromisoformat(str(sent_at)),
            attempts=int(cast(int, item.get("attempts", 1))),  # a Decimal from the table
            reason=None if reason is None else str(reason),
            announced=frozenset(str(o) for o in cast(set[str], item.get("announced", set()))),
        )

    def take_over(self, stale: LedgerEntry, claim: Claim) -> bool:
        try:
            self._table.update_item(
                Key=_key(claim.order_id, claim.kind),
                UpdateExpression=(
                    "SET claim_id = :new, event_id = :event, claimed_at = :at ADD attempts :one"
                ),
                ConditionExpression=_STILL_OURS,
                ExpressionAttributeNames=_STATUS,
                ExpressionAttributeValues={
                    ":new": claim.claim_id,
                    ":event": claim.event_id,
                    ":at": claim.claimed_at.isoformat(),
                    ":one": 1,
                    ":claim": stale.claim_id,
                    ":sending": "sending",
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
            self._table.delete_item(
                Key=_key(claim.order_id, claim.kind),
                ConditionExpression=_STILL_OURS,
                ExpressionAttributeNames=_STATUS,
                ExpressionAttributeValues={":claim": claim.claim_id, ":sending": "sending"},
            )

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        # SES's own report may have got here first (and further): then it already says more.
        self._end(
            claim,
            "SET #status = :sent, message_id = :message, sent_at = :sent_at",
            {":sent": "sent", ":message": message_id, ":sent_at": sent_at.isoformat()},
        )

    def mark_failed(self, claim: Claim, *, reason: str, at: datetime) -> None:
        self._end(
            claim,
            "SET #status = :failed, reason = :reason, ended_at = :at",
            {":failed": "failed", ":reason": reason, ":at": at.isoformat()},
        )

    def record(self, report: DeliveryReport) -> bool:
        behind = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[report.status]]
        values: dict[str, Any] = {
            ":status": report.status,
            ":message": report.message_id,
            ":at": report.at.isoformat(),
            **{f":behind{i}": status for i, status in enumerate(behind)},
        }
        update = "SET #status = :status, message_id = :message, ended_at = :at"
        if report.status == "sent":
            update = "SET #status = :status, message_id = :message, sent_at = :at"
        if report.reason is not None:
            update += ", reason = :reason"
            values[":reason"] = report.reason
        try:
            self._table.update_item(
                Key=_key(report.order_id, report.kind),
                UpdateExpression=update,
                ConditionExpression=(
                    "attribute_exists(order_id) AND #status IN ("
                    + ", ".join(f":behind{i}" for i in range(len(behind)))
                    + ")"
                ),
                ExpressionAttributeNames=_STATUS,
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def mark_announced(self, order_id: str, kind: EmailKind, outcome: EmailOutcome) -> None:
        with _condition_may_fail():  # no entry (an opted-out request): nothing to note
            self._table.update_item(
                Key=_key(order_id, kind),
                UpdateExpression="ADD announced :outcome",
                ConditionExpression="attribute_exists(order_id)",
                ExpressionAttributeValues={":outcome": {str(outcome)}},
            )

    def _end(self, claim: Claim, update: str, values: dict[str, Any]) -> None:
        """Settle ``claim`` if it is still the unsent one recorded; otherwise leave the item."""
        with _condition_may_fail():
            self._table.update_item(
                Key=_key(claim.order_id, claim.kind),
                UpdateExpression=update,
                ConditionExpression=_STILL_OURS,
                ExpressionAttributeNames=_STATUS,
                ExpressionAttributeValues={
                    **values,
                    ":claim": claim.claim_id,
                    ":sending": "sending",
                },
            )


@contextlib.contextmanager
def _condition_may_fail() -> Iterator[None]:
    """A failed condition means the item is no longer in the state the write is for."""
    try:
        yield
    except ClientError as error:
        if not is_condition_failed(error):
            raise


def _key(order_id: str, kind: EmailKind) -> dict[str, str]:
    return {"order_id": order_id, "kind": kind.value}
