"""The approvals table on DynamoDB.

Two kinds of item share the table's ``approval_id`` key:

- the approval itself, keyed by its random id (what a link points at);
- ``order#<order id>``, a lookup item naming the approval, written in the same transaction
  with ``attribute_not_exists`` conditions so an order can never get two approvals.

Every read is strongly consistent: the decision page must see the write that won. Both items
carry ``expires_at`` (TTL) so records go away a while after their links stopped working.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from events.models import OrderSummary
from services.approvals.models import Approval, ApprovalStatus, CancelReason
from services.common.dynamo import is_condition_failed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

# Records stay readable (for support and late clicks' 410 page) a month past their links.
RETENTION_SECONDS = 30 * 24 * 3600
KIND_APPROVAL = "approval"
KIND_ORDER_LOOKUP = "order-lookup"


def lookup_key(order_id: str) -> str:
    return f"order#{order_id}"


def _s(value: str) -> AttributeValueTypeDef:
    return {"S": value}


def _n(value: int) -> AttributeValueTypeDef:
    return {"N": str(value)}


def _ts(value: datetime) -> AttributeValueTypeDef:
    return {"S": value.isoformat()}


class DynamoApprovalStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # --- reads ------------------------------------------------------------------------

    def get(self, approval_id: str) -> Approval | None:
        item = self._get_item(approval_id)
        if item is None or item.get("kind", {}).get("S") != KIND_APPROVAL:
            return None
        return _from_item(item)

    def find_by_order(self, order_id: str) -> Approval | None:
        lookup = self._get_item(lookup_key(order_id))
        if lookup is None:
            return None
        return self.get(lookup["target"]["S"])

    def _get_item(self, key: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key={"approval_id": _s(key)}, ConsistentRead=True
        )
        return dict(response["Item"]) if "Item" in response else None

    # --- writes -----------------------------------------------------------------------

    def create(self, approval: Approval) -> bool:
        expires_at = _n(approval.link_expires + RETENTION_SECONDS)
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": {**_to_item(approval), "expires_at": expires_at},
                            "ConditionExpression": "attribute_not_exists(approval_id)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": {
                                "approval_id": _s(lookup_key(approval.order_id)),
                                "kind": _s(KIND_ORDER_LOOKUP),
                                "target": _s(approval.approval_id),
                                "expires_at": expires_at,
                            },
                            "ConditionExpression": "attribute_not_exists(approval_id)",
                        }
                    },
                ]
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def mark_notified(self, approval_id: str) -> None:
        self._update(approval_id, "SET owner_notified = :true", {":true": {"BOOL": True}})

    def record_decision(
        self,
        approval_id: str,
        status: ApprovalStatus,
        decided_at: datetime,
        comment: str | None,
        event_id: uuid.UUID,
    ) -> bool:
        values: dict[str, AttributeValueTypeDef] = {
            ":status": _s(status.value),
            ":decided_at": _ts(decided_at),
            ":event_id": _s(str(event_id)),
            ":false": {"BOOL": False},
            ":pending": _s(ApprovalStatus.PENDING.value),
        }
        assignments = [
            "#status = :status",
            "decided_at = :decided_at",
            "decision_event_id = :event_id",
            "decision_published = :false",
        ]
        if comment is not None:
            assignments.append("#comment = :comment")
            values[":comment"] = _s(comment)
        return self._update(
            approval_id,
            "SET " + ", ".join(assignments),
            values,
            condition="#status = :pending",
        )

    def mark_published(self, approval_id: str) -> None:
        self._update(approval_id, "SET decision_published = :true", {":true": {"BOOL": True}})

    def cancel_pending(self, approval_id: str, reason: CancelReason, at: datetime) -> bool:
        return self._update(
            approval_id,
            "SET #status = :cancelled, cancelled_at = :at, cancel_reason = :reason",
            {
                ":cancelled": _s(ApprovalStatus.CANCELLED.value),
                ":at": _ts(at),
                ":reason": _s(reason),
                ":pending": _s(ApprovalStatus.PENDING.value),
            },
            condition="#status = :pending",
        )

    def note_cancellation(self, approval_id: str, reason: CancelReason, at: datetime) -> None:
        # The first cancellation is the one that happened; a redelivery changes nothing.
        self._update(
            approval_id,
            "SET cancelled_at = :at, cancel_reason = :reason",
            {":at": _ts(at), ":reason": _s(reason)},
            condition="attribute_not_exists(cancelled_at)",
        )

    def _update(
        self,
        approval_id: str,
        expression: str,
        values: dict[str, AttributeValueTypeDef],
        *,
        condition: str | None = None,
    ) -> bool:
        """Update an existing approval; False when ``condition`` does not hold."""
        names = {
            name: attribute
            for name, attribute in (("#status", "status"), ("#comment", "comment"))
            if name in expression or (condition and name in condition)
        }
        names["#kind"] = "kind"
        values = {**values, ":approval": _s(KIND_APPROVAL)}
        # Only ever update an existing approval item (never create one, never a lookup item).
        guard = "#kind = :approval" + (f" AND ({condition})" if condition else "")
        args: dict[str, Any] = {
            "TableName": self._table,
            "Key": {"approval_id": _s(approval_id)},
            "UpdateExpression": expression,
            "ConditionExpression": guard,
            "ExpressionAttributeValues": values,
            "ExpressionAttributeNames": names,
        }
        try:
            self._client.update_item(**args)
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True


def _to_item(approval: Approval) -> dict[str, AttributeValueTypeDef]:
    item: dict[str, AttributeValueTypeDef] = {
        "approval_id": _s(approval.approval_id),
        "kind": _s(KIND_APPROVAL),
        "order_id": _s(approval.order_id),
        "order": _s(approval.order.model_dump_json()),
        "requested_at": _ts(approval.requested_at),
        "deadline": _ts(approval.deadline),
        "link_expires": _n(approval.link_expires),
        "status": _s(approval.status.value),
        "owner_notified": {"BOOL": approval.owner_notified},
        "decision_published": {"BOOL": approval.decision_published},
    }
    if approval.decided_at is not None:
        item["decided_at"] = _ts(approval.decided_at)
    if approval.comment is not None:
        item["comment"] = _s(approval.comment)
    if approval.decision_event_id is not None:
        item["decision_event_id"] = _s(str(approval.decision_event_id))
    if approval.cancelled_at is not None:
        item["cancelled_at"] = _ts(approval.cancelled_at)
    if approval.cancel_reason is not None:
        item["cancel_reason"] = _s(approval.cancel_reason)
    return item


def _from_item(item: dict[str, Any]) -> Approval:
    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return Approval.model_validate(
        {
            "approval_id": item["approval_id"]["S"],
            "order": OrderSummary.model_validate_json(item["order"]["S"]),
            "requested_at": item["requested_at"]["S"],
            "deadline": item["deadline"]["S"],
            "link_expires": int(item["link_expires"]["N"]),
            "status": item["status"]["S"],
            "owner_notified": item.get("owner_notified", {}).get("BOOL", False),
            "decided_at": text("decided_at"),
            "comment": text("comment"),
            "decision_event_id": text("decision_event_id"),
            "decision_published": item.get("decision_published", {}).get("BOOL", False),
            "cancelled_at": text("cancelled_at"),
            "cancel_reason": text("cancel_reason"),
        }
    )
