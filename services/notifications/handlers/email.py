"""Sends the customer email each order event on the ``customer-events`` queue calls for."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.notifications.adapters.ledger import DynamoDbSentEmailLedger
from services.notifications.adapters.mailer import SES_CLIENT_CONFIG, SesMailer
from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.notify import (
    CUSTOMER_EVENTS,
    CustomerEvent,
    EmailDelivery,
    notify,
)
from services.notifications.settings import NotificationsSettings

logger = Logger(service="notifications")


@dataclass(frozen=True)
class Adapters:
    ledger: DynamoDbSentEmailLedger
    mailer: SesMailer
    renderer: JinjaRenderer


@functools.cache
def adapters() -> Adapters:
    """Built once per execution environment, on the first invocation."""
    settings = NotificationsSettings()
    return Adapters(
        ledger=DynamoDbSentEmailLedger(
            boto3.client("dynamodb"), settings.notifications_ledger_table_name
        ),
        mailer=SesMailer(
            boto3.client("sesv2", config=SES_CLIENT_CONFIG), settings.notifications_sender_email
        ),
        renderer=JinjaRenderer(),
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    found = adapters()

    def handle(customer_event: CustomerEvent) -> EmailDelivery:
        return notify(customer_event, found.ledger, found.mailer, found.renderer)

    return consume_events(event, context, accepts=CUSTOMER_EVENTS, handle=handle, logger=logger)
