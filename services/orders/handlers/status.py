"""Follows the workflow: status events move an order forward, OrderCancelled deletes it."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.common.observability import service_tracer
from services.orders import bootstrap
from services.orders.domain.progress import WORKFLOW_EVENTS, apply_workflow_event

logger = Logger(service="orders")
tracer = service_tracer("orders")
store = functools.cache(bootstrap.store)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    orders = store()
    return consume_events(
        event,
        context,
        accepts=WORKFLOW_EVENTS,
        handle=lambda typed: apply_workflow_event(typed, store=orders),
        logger=logger,
    )
