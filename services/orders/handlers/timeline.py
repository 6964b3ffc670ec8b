"""Records every event of an order's journey in its timeline (the ``timeline-events`` queue)."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.common.observability import service_tracer
from services.orders import bootstrap
from services.orders.domain.timeline import record
from services.orders.journey_events import JOURNEY_EVENTS, JourneyEvent, parse_journey_record

logger = Logger(service="orders")
tracer = service_tracer("orders")
dependencies = functools.cache(bootstrap.timeline_recorder)


def _record(event: JourneyEvent) -> object:
    deps = dependencies()
    return record(event, timeline=deps.timeline, orders=deps.orders, retention=deps.retention)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume_events(
        event,
        context,
        accepts=JOURNEY_EVENTS,
        handle=_record,
        logger=logger,
        parse=parse_journey_record,
    )
