"""Sends the customer email each order event on the ``customer-events`` queue calls for."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.common.observability import count
from services.notifications import bootstrap
from services.notifications.domain.notify import (
    CUSTOMER_EVENTS,
    KIND_BY_EVENT,
    CustomerEvent,
    EmailDelivery,
    notify,
)
from services.notifications.models import EmailKind

logger = Logger(service="notifications")
tracer = Tracer(service="notifications")
metrics = Metrics(service="notifications")
adapters = functools.cache(bootstrap.adapters)


def email_metric(kind: EmailKind, what: str) -> str:
    """``order_received`` and ``Sent`` -> ``OrderReceivedSent``."""
    return kind.value.title().replace("_", "") + what


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    found = adapters()

    def handle(customer_event: CustomerEvent) -> EmailDelivery:
        kind = KIND_BY_EVENT[type(customer_event)]
        try:
            delivery = notify(customer_event, found.ledger, found.mailer, found.renderer)
        except Exception:
            count(metrics, email_metric(kind, "Failed"))  # retried through the queue
            raise
        if delivery is EmailDelivery.SENT:
            count(metrics, email_metric(kind, "Sent"))
        return delivery

    return consume_events(event, context, accepts=CUSTOMER_EVENTS, handle=handle, logger=logger)
