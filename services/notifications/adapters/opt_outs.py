"""Customers who asked for no more feedback requests, by recipient id (never the address),
on DynamoDB; and the key that signs their unsubscribe links, from Secrets Manager."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.parameters import SecretsProvider

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_secretsmanager import SecretsManagerClient

KEY_CACHE_SECONDS = 300


class DynamoOptOuts:
    def __init__(self, table: Table) -> None:
        self._table = table

    def has_opted_out(self, recipient: str) -> bool:
        item = self._table.get_item(Key={"recipient": recipient}, ConsistentRead=True).get("Item")
        return item is not None

    def opt_out(self, recipient: str, at: datetime) -> None:
        # Idempotent: a second click keeps the first time.
        self._table.update_item(
            Key={"recipient": recipient},
            UpdateExpression="SET opted_out_at = if_not_exists(opted_out_at, :at)",
            ExpressionAttributeValues={":at": at.isoformat()},
        )


class SecretKey:
    """A key provider: the secret string's UTF-8 bytes, cached for a few minutes."""

    def __init__(self, client: SecretsManagerClient, secret_id: str) -> None:
        self._provider = SecretsProvider(boto3_client=client)
        self._secret_id = secret_id

    def __call__(self) -> bytes:
        value = self._provider.get(self._secret_id, max_age=KEY_CACHE_SECONDS)
        if isinstance(value, bytes):
            return value
        if not isinstance(value, str) or not value:
            raise ValueError(f"secret {self._secret_id} holds no usable key")
        return value.encode("utf-8")
