"""SES's configuration-set events, as EventBridge delivers them, move the ledger forward."""

from __future__ import annotations

import json
from typing import Any, cast

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from local.provision import ProvisionedService
from services.notifications.handlers import delivery
from services.notifications.handlers.email import lambda_handler as email_handler
from tests.integration.notifications.conftest import Outbox
from tests.support.context import FakeLambdaContext
from tests.support.events import sqs_event, sqs_record
from tests.unit.notifications.samples import order_placed


def ses_event(detail_type: str, detail: dict[str, Any], tags: dict[str, str]) -> str:
    """An SES event as the default bus delivers it (shape of AWS's documented examples)."""
    mail = {
        "timestamp": "2030-05-01T12:00:00.000Z",
        "source": "shop@example.com",
        "sendingAccountId": "123456789012",
        "messageId": "0100018f-ses-message",
        "destination": ["ada@example.com"],
        "tags": {"ses:configuration-set": ["shop-email"], **{k: [v] for k, v in tags.items()}},
    }
    return json.dumps(
        {
            "version": "0",
            "id": "5a6f0c2e-0000-4000-8000-000000000001",
            "detail-type": detail_type,
            "source": "aws.ses",
            "account": "123456789012",
            "time": "2030-05-01T12:00:02Z",
            "region": "us-east-1",
            "resources": ["arn:aws:ses:us-east-1:123456789012:configuration-set/shop-email"],
            "detail": {**detail, "mail": mail},
        }
    )


BOUNCE = {
    "eventType": "Bounce",
    "bounce": {
        "bounceType": "Permanent",
        "bounceSubType": "General",
        "bouncedRecipients": [{"emailAddress": "ada@example.com", "action": "failed"}],
        "timestamp": "2030-05-01T12:00:02.000Z",
        "feedbackId": "0100018f-feedback",
    },
}
DELIVERY = {"eventType": "Delivery", "delivery": {"recipients": ["ada@example.com"]}}


def deliver(*bodies: str) -> list[Any]:
    response = delivery.lambda_handler(
        {"Records": [sqs_record(body) for body in bodies]},
        cast(LambdaContext, FakeLambdaContext()),
    )
    return list(response["batchItemFailures"])


def ledger_status(notifications: ProvisionedService) -> tuple[str, str | None]:
    item = boto3.client("dynamodb").get_item(
        TableName=notifications.tables["sent-emails"],
        Key={"order_id": {"S": "ord_1001"}, "kind": {"S": "order_received"}},
        ConsistentRead=True,
    )["Item"]
    return item["status"]["S"], item.get("reason", {}).get("S")


def test_a_bounce_ends_the_email_failed_with_the_reason_whatever_came_before(
    outbox: Outbox, notifications: ProvisionedService
) -> None:
    delivery.dependencies.cache_clear()
    email_handler(sqs_event(order_placed()), cast(LambdaContext, FakeLambdaContext()))
    [request] = outbox.requests
    tags = {t["Name"]: t["Value"] for t in request["EmailTags"]}

    failures = deliver(
        ses_event("Email Bounced", BOUNCE, tags), ses_event("Email Delivered", DELIVERY, tags)
    )

    assert failures == []
    assert ledger_status(notifications) == ("failed", "bounced: Permanent/General")


def test_events_about_someone_elses_emails_are_ignored(notifications: ProvisionedService) -> None:
    delivery.dependencies.cache_clear()

    assert deliver(ses_event("Email Bounced", BOUNCE, {"campaign": "spring"})) == []
    assert deliver(ses_event("Email Bounced", BOUNCE, {"order_id": "x", "kind": "nope"})) == []
