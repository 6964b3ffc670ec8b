"""A DynamoDB table for tests of the local stack's stream plumbing."""

from __future__ import annotations

from typing import Any


def create_streamed_table(dynamodb: Any, name: str) -> str:
    """A table keyed by the string ``k`` whose stream carries new images; its stream's ARN."""
    table = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    return str(table["TableDescription"]["LatestStreamArn"])
