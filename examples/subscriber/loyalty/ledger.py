"""The points ledger in DynamoDB: customer (partition) and order id (sort)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.points import Entry


def _item(entry: Entry) -> dict[str, Any]:
    return {
        "customer": entry.customer,
        "order_id": entry.order_id,
        "points": entry.points,
        "status": entry.status.value,
        "at": entry.at.isoformat(),
        "event_id": entry.event_id,
    }


class DynamoLedger:
    def __init__(self, table: Any) -> None:
        self._table = table

    def award(self, entry: Entry) -> bool:
        try:
            self._table.put_item(
                Item=_item(entry), ConditionExpression="attribute_not_exists(order_id)"
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def revoke(self, entry: Entry) -> None:
        self._table.put_item(Item=_item(entry))

    def balance(self, customer: str) -> int:
        items = self._table.query(
            KeyConditionExpression="customer = :c", ExpressionAttributeValues={":c": customer}
        )["Items"]
        return sum(int(item["points"]) for item in items)
