"""Scheduled: republishes OrderPlaced (same event id) for orders stuck in ``placed``."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from services.common.observability import service_tracer
from services.orders import bootstrap
from services.orders.domain.sweeper import republish_stuck_orders

logger = Logger(service="orders")
tracer = service_tracer("orders")
metrics = Metrics(service="orders")
dependencies = functools.cache(bootstrap.sweeper)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    deps = dependencies()
    republished = republish_stuck_orders(
        deps.store, deps.publisher, stuck_after=deps.stuck_after, now=utc_now()
    )
    # Counted (zero included, so the alarm's metric exists): each one is an order the outbox
    # did not carry through in time.
    metrics.add_metric(name="OrderPlacedRepublished", unit=MetricUnit.Count, value=len(republished))
    if republished:
        logger.warning("republished OrderPlaced", extra={"order_ids": republished})
    return {"republished": len(republished)}
