"""The function on moto: points awarded once per shipped order, taken back on cancel, and a
bad record reported alone (SQS retries it, then our DLQ keeps it)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import boto3
import pytest
from shop_examples import read_example, shop_examples

TABLE = "loyalty-points-test"


@dataclass
class FakeContext:
    function_name: str = "loyalty-points"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:loyalty"
    aws_request_id: str = "req-1"


def sqs_event(*bodies: dict[str, Any] | str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "handle",
                "body": body if isinstance(body, str) else json.dumps(body),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:loyalty-events",
                "awsRegion": "eu-west-1",
            }
            for body in bodies
        ]
    }


@pytest.fixture
def table(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from loyalty import handler  # noqa: PLC0415 - after moto is in place

    ddb = boto3.resource("dynamodb")
    created = ddb.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "order_id", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "order_id", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    monkeypatch.setenv(handler.TABLE_ENV_VAR, TABLE)
    handler.ledger.cache_clear()
    yield created
    handler.ledger.cache_clear()


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    from loyalty.handler import lambda_handler  # noqa: PLC0415

    context: Any = FakeContext()
    result: dict[str, Any] = lambda_handler(event, context)
    return result


def entry(table: Any, event: dict[str, Any]) -> dict[str, Any] | None:
    data = event["detail"]["data"]
    item: dict[str, Any] | None = table.get_item(
        Key={"customer": data["customer"]["email"], "order_id": data["order_id"]}
    ).get("Item")
    return item


def test_a_shipped_order_earns_a_point_per_whole_unit_once(table: Any) -> None:
    shipped = read_example(shop_examples("OrderShipped")[0])
    total = Decimal(shipped["detail"]["data"]["total"])

    first = invoke(sqs_event(shipped))
    again = invoke(sqs_event(shipped))

    assert first == again == {"batchItemFailures": []}
    item = entry(table, shipped)
    assert item is not None
    assert item["points"] == int(total)
    assert item["status"] == "awarded"


def test_a_cancelled_order_has_its_points_taken_back(table: Any) -> None:
    shipped = read_example(shop_examples("OrderShipped")[0])
    cancelled = read_example(shop_examples("OrderCancelled")[0])
    cancelled["detail"]["data"]["order_id"] = shipped["detail"]["data"]["order_id"]
    cancelled["detail"]["data"]["customer"] = shipped["detail"]["data"]["customer"]

    invoke(sqs_event(shipped, cancelled))

    item = entry(table, shipped)
    assert item is not None
    assert (item["points"], item["status"]) == (0, "revoked")


def test_a_bad_record_fails_alone(table: Any) -> None:
    shipped = read_example(shop_examples("OrderShipped")[0])
    broken = json.loads(json.dumps(shipped))
    broken["detail"]["data"]["total"] = "not money"
    event = sqs_event(broken, "not json", shipped)

    result = invoke(event)

    failed = [f["itemIdentifier"] for f in result["batchItemFailures"]]
    assert failed == [r["messageId"] for r in event["Records"][:2]]
    assert entry(table, shipped) is not None
