"""Scheduled: republishes OrderPlaced (same event id) for orders stuck in ``placed``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from events.publisher import EventBridgePublisher, EventPublisher
from services.orders.adapters.dynamodb import DynamoOrdersStore
from services.orders.domain.sweeper import republish_stuck_orders
from services.orders.settings import SweeperSettings

logger = Logger(service="orders")
tracer = Tracer(service="orders")
metrics = Metrics(service="orders")


@dataclass(frozen=True)
class Dependencies:
    store: DynamoOrdersStore
    publisher: EventPublisher
    stuck_after: timedelta


@functools.cache
def dependencies() -> Dependencies:
    settings = SweeperSettings()
    return Dependencies(
        store=DynamoOrdersStore(boto3.resource("dynamodb").Table(settings.orders_table_name)),
        publisher=EventBridgePublisher(boto3.client("events"), settings.event_bus_name),
        stuck_after=timedelta(seconds=settings.orders_stuck_after_seconds),
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    deps = dependencies()
    republished = republish_stuck_orders(
        deps.store, deps.publisher, stuck_after=deps.stuck_after, now=utc_now()
    )
    # Counted for an alarm: each one is an order the outbox did not carry through in time.
    metrics.add_metric(name="OrderPlacedRepublished", unit=MetricUnit.Count, value=len(republished))
    if republished:
        logger.warning("republished OrderPlaced", extra={"order_ids": republished})
    return {"republished": len(republished)}
