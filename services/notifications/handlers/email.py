"""Sends the customer email each order event on the ``customer-events`` queue calls for."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.common.observability import count
from services.notifications.adapters.ledger import DynamoDbSentEmailLedger
from services.notifications.adapters.mailer import SEND_BUDGET_MS, SES_CLIENT_CONFIG, SesMailer
from services.notifications.adapters.opt_outs import DynamoOptOuts, SecretKey
from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.notify import (
    CUSTOMER_EVENTS,
    KIND_BY_EVENT,
    ClaimPolicy,
    CustomerEvent,
    Outcome,
    Unsubscribe,
    notify,
)
from services.notifications.handlers import SERVICE
from services.notifications.models import EmailKind
from services.notifications.settings import MAX_SEND_ATTEMPTS, NotificationsSettings
from services.notifications.unsubscribe import UnsubscribeLinks

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(service=SERVICE)


@dataclass(frozen=True)
class Adapters:
    ledger: DynamoDbSentEmailLedger
    mailer: SesMailer
    renderer: JinjaRenderer
    policy: ClaimPolicy
    unsubscribe: Unsubscribe


@functools.cache
def adapters() -> Adapters:
    """Built once per execution environment, on the first invocation."""
    settings = NotificationsSettings()
    return Adapters(
        ledger=DynamoDbSentEmailLedger(
            boto3.client("dynamodb"), settings.notifications_ledger_table_name
        ),
        mailer=SesMailer(
            boto3.client("sesv2", config=SES_CLIENT_CONFIG),
            settings.notifications_sender_email,
            settings.notifications_configuration_set,
        ),
        renderer=JinjaRenderer(),
        policy=ClaimPolicy(
            stale_after=timedelta(seconds=settings.notifications_stale_claim_seconds),
            max_attempts=MAX_SEND_ATTEMPTS,
        ),
        unsubscribe=Unsubscribe(
            opt_outs=DynamoOptOuts(
                boto3.client("dynamodb"), settings.notifications_opt_outs_table_name
            ),
            link=functools.partial(
                UnsubscribeLinks(
                    SecretKey(
                        boto3.client("secretsmanager"),
                        settings.notifications_unsubscribe_key_secret,
                    )
                ).url,
                settings.notifications_unsubscribe_url,
            ),
        ),
    )


def email_metric(kind: EmailKind, what: str) -> str:
    """``order_received`` and ``Sent`` -> ``OrderReceivedSent``."""
    return kind.value.title().replace("_", "") + what


def _handle(customer_event: CustomerEvent) -> Outcome:
    found = adapters()
    kind = KIND_BY_EVENT[type(customer_event)]
    try:
        outcome = notify(
            customer_event,
            found.ledger,
            found.mailer,
            found.renderer,
            policy=found.policy,
            unsubscribe=found.unsubscribe,
        )
    except Exception:
        count(metrics, email_metric(kind, "Failed"))  # retried through the queue
        raise
    if outcome in (Outcome.FAILED, Outcome.OUTCOME_UNKNOWN):
        # Counted and logged for an alarm; not retried (it would end the same way).
        logger.error("email not sent", extra={"outcome": outcome.value})
    if outcome in (Outcome.SENT, Outcome.RESENT_AFTER_STALE_CLAIM):
        count(metrics, email_metric(kind, "Sent"))
    count(metrics, outcome.value)
    return outcome


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume_events(
        event,
        context,
        accepts=CUSTOMER_EVENTS,
        handle=_handle,
        logger=logger,
        record_budget_ms=SEND_BUDGET_MS,
    )
