"""The approvals table on DynamoDB.

Two kinds of item share the table's ``approval_id`` key:

- the approval itself, keyed by its random id (what a link points at);
- ``order#<order id>``, a lookup item naming the approval, written in the same transaction
  with ``attribute_not_exists`` conditions so an order can never get two approvals. A
  customer's cancellation that comes before the approval writes this item alone (no
  ``target``, the withdrawal instead), so no approval can be opened after it.

Every read is strongly consistent: the decision page must see the write that won. Both items
carry ``expires_at`` (TTL) so records go away a while after their links stopped working.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from events.models import OrderSummary
from services.approvals.domain.ports import EarlyWithdrawal
from services.approvals.models import Approval, ApprovalStatus, Approver, CancelReason
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


_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


def _attributes(values: Mapping[str, Any]) -> dict[str, AttributeValueTypeDef]:
    """Plain values (str, int, bool) as DynamoDB attribute values; None is left out."""
    return {name: _serialize(value) for name, value in values.items() if value is not None}


class DynamoApprovalStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # --- reads ------------------------------------------------------------------------

    def get(self, approval_id: str) -> Approval | None:
        item = self._get_item(approval_id)
        if item is None or item.get("kind") != KIND_APPROVAL:
            return None
        return _from_item(item)

    def find_by_order(self, order_id: str) -> Approval | None:
        lookup = self._get_item(lookup_key(order_id))
        if lookup is None or "target" not in lookup:
            return None
        return self.get(lookup["target"])

    def early_withdrawal(self, order_id: str) -> EarlyWithdrawal | None:
        lookup = self._get_item(lookup_key(order_id))
        if lookup is None or "withdrawn_at" not in lookup:
            return None
        return EarlyWithdrawal(
            order_id=order_id,
            withdrawn_at=datetime.fromisoformat(lookup["withdrawn_at"]),
            event_id=uuid.UUID(lookup["withdrawal_event_id"]),
        )

    def _get_item(self, key: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=_attributes({"approval_id": key}), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        return {name: _deserialize(value) for name, value in response["Item"].items()}

    # --- writes -----------------------------------------------------------------------

    def create(self, approval: Approval) -> bool:
        expires_at = approval.link_expires + RETENTION_SECONDS
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": _attributes({**_to_item(approval), "expires_at": expires_at}),
                            "ConditionExpression": "attribute_not_exists(approval_id)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": _attributes(
                                {
                                    "approval_id": lookup_key(approval.order_id),
                                    "kind": KIND_ORDER_LOOKUP,
                                    "target": approval.approval_id,
                                    "expires_at": expires_at,
                                }
                            ),
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
        self._update(approval_id, "SET owner_notified = :true", {":true": True})

    def record_decision(
        self,
        approval_id: str,
        status: ApprovalStatus,
        decided_at: datetime,
        comment: str | None,
        event_id: uuid.UUID,
        *,
        decided_by: Approver = Approver.OWNER,
    ) -> bool:
        values: dict[str, Any] = {
            ":decided_by": decided_by.value,
            ":status": status.value,
            ":decided_at": decided_at.isoformat(),
            ":event_id": str(event_id),
            ":false": False,
            ":pending": ApprovalStatus.PENDING.value,
        }
        assignments = [
            "#status = :status",
            "decided_at = :decided_at",
            "decided_by = :decided_by",
            "decision_event_id = :event_id",
            "decision_published = :false",
        ]
        if comment is not None:
            assignments.append("#comment = :comment")
            values[":comment"] = comment
        return self._update(
            approval_id,
            "SET " + ", ".join(assignments),
            values,
            condition="#status = :pending",
        )

    def mark_published(self, approval_id: str) -> None:
        self._update(approval_id, "SET decision_published = :true", {":true": True})

    def cancel_pending(self, approval_id: str, reason: CancelReason, at: datetime) -> bool:
        return self._update(
            approval_id,
            "SET #status = :cancelled, cancelled_at = :at, cancel_reason = :reason",
            {
                ":cancelled": ApprovalStatus.CANCELLED.value,
                ":at": at.isoformat(),
                ":reason": reason,
                ":pending": ApprovalStatus.PENDING.value,
            },
            condition="#status = :pending",
        )

    def note_cancellation(self, approval_id: str, reason: CancelReason, at: datetime) -> None:
        # The first cancellation is the one that happened; a redelivery changes nothing.
        self._update(
            approval_id,
            "SET cancelled_at = :at, cancel_reason = :reason",
            {":at": at.isoformat(), ":reason": reason},
            condition="attribute_not_exists(cancelled_at)",
        )

    def withdraw(self, approval_id: str, at: datetime, event_id: uuid.UUID) -> bool:
        return self._update(
            approval_id,
            "SET #status = :cancelled, cancelled_at = :at, cancel_reason = :reason, "
            "withdrawal_event_id = :event_id",
            {
                ":cancelled": ApprovalStatus.CANCELLED.value,
                ":at": at.isoformat(),
                ":reason": "customer_cancelled",
                ":event_id": str(event_id),
                ":pending": ApprovalStatus.PENDING.value,
            },
            condition="#status = :pending",
        )

    def withdraw_before_request(self, withdrawal: EarlyWithdrawal) -> bool:
        item = {
            "approval_id": lookup_key(withdrawal.order_id),
            "kind": KIND_ORDER_LOOKUP,
            "withdrawn_at": withdrawal.withdrawn_at.isoformat(),
            "withdrawal_event_id": str(withdrawal.event_id),
            "expires_at": int(withdrawal.withdrawn_at.timestamp()) + RETENTION_SECONDS,
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_attributes(item),
                ConditionExpression="attribute_not_exists(approval_id)",
            )
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True

    def claim_reminder(self, approval_id: str, reminder: int, at: datetime) -> bool:
        return self._update(
            approval_id,
            "SET reminders_sent = :n, reminded_at = :at",
            {":n": reminder, ":at": at.isoformat(), ":pending": ApprovalStatus.PENDING.value},
            condition="#status = :pending AND "
            "(attribute_not_exists(reminders_sent) OR reminders_sent < :n)",
        )

    def release_reminder(self, approval_id: str, reminder: int) -> None:
        self._update(
            approval_id,
            "SET reminders_sent = :before",
            {":n": reminder, ":before": reminder - 1},
            condition="reminders_sent = :n",
        )

    def mark_reminder_published(self, approval_id: str, reminder: int) -> None:
        self._update(
            approval_id,
            "SET reminders_published = :n",
            {":n": reminder},
            condition="attribute_not_exists(reminders_published) OR reminders_published < :n",
        )

    def _update(
        self,
        approval_id: str,
        expression: str,
        values: dict[str, Any],
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
        values = {**values, ":approval": KIND_APPROVAL}
        # Only ever update an existing approval item (never create one, never a lookup item).
        guard = "#kind = :approval" + (f" AND ({condition})" if condition else "")
        args: dict[str, Any] = {
            "TableName": self._table,
            "Key": _attributes({"approval_id": approval_id}),
            "UpdateExpression": expression,
            "ConditionExpression": guard,
            "ExpressionAttributeValues": _attributes(values),
            "ExpressionAttributeNames": names,
        }
        try:
            self._client.update_item(**args)
        except ClientError as error:
            if is_condition_failed(error):
                return False
            raise
        return True


def _to_item(approval: Approval) -> dict[str, Any]:
    return {
        "approval_id": approval.approval_id,
        "kind": KIND_APPROVAL,
        "order_id": approval.order_id,
        "order": approval.order.model_dump_json(),
        "requested_at": approval.requested_at.isoformat(),
        "deadline": approval.deadline.isoformat(),
        "link_expires": approval.link_expires,
        "status": approval.status.value,
        "owner_notified": approval.owner_notified,
        "decision_published": approval.decision_published,
        "decided_at": _iso(approval.decided_at),
        "comment": approval.comment,
        "decision_event_id": (
            str(approval.decision_event_id) if approval.decision_event_id is not None else None
        ),
        "cancelled_at": _iso(approval.cancelled_at),
        "cancel_reason": approval.cancel_reason,
        "withdrawal_event_id": (
            str(approval.withdrawal_event_id) if approval.withdrawal_event_id is not None else None
        ),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_item(item: dict[str, Any]) -> Approval:
    fields = {name: item.get(name) for name in Approval.model_fields if name in item}
    fields["order"] = OrderSummary.model_validate_json(item["order"])
    fields["link_expires"] = int(item["link_expires"])
    return Approval.model_validate(fields)
