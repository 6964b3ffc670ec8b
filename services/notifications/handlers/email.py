"""Sends the customer email each order event on the ``customer-events`` queue calls for."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.common.observability import count, service_tracer
from services.notifications import bootstrap
from services.notifications.adapters.mailer import SEND_BUDGET_MS
from services.notifications.domain.notify import (
    CUSTOMER_EVENTS,
    KIND_BY_EVENT,
    CustomerEvent,
    Outcome,
    notify,
)
from services.notifications.handlers import SERVICE
from services.notifications.models import EmailKind

logger = Logger(service=SERVICE)
tracer = service_tracer(SERVICE)
metrics = Metrics(service=SERVICE)
dependencies = functools.cache(bootstrap.email)


def email_metric(kind: EmailKind, what: str) -> str:
    """``order_received`` and ``Sent`` -> ``OrderReceivedSent``."""
    return kind.value.title().replace("_", "") + what


def _handle(customer_event: CustomerEvent) -> Outcome:
    kind = KIND_BY_EVENT[type(customer_event)]
    try:
        outcome = notify(customer_event, dependencies())
    except Exception:
        count(metrics, email_metric(kind, "Failed"))  # retried through the queue
        raise
    if outcome.given_up:
        logger.error("email not sent", extra={"outcome": outcome.value})
    if outcome.sent:
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
