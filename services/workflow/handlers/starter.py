"""OrderPlaced -> StartExecution named by the order id (a duplicate is a counted no-op)."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import OrderPlaced
from services.common.consumer import consume_events
from services.common.observability import count, service_tracer
from services.workflow import bootstrap
from services.workflow.domain.starter import StartOutcome, start_workflow
from services.workflow.handlers import SERVICE

logger = Logger(service=SERVICE)
tracer = service_tracer(SERVICE)
metrics = Metrics(service=SERVICE)
workflows = cache(bootstrap.workflows)


def _start(event: OrderPlaced) -> StartOutcome:
    outcome = start_workflow(event, workflows=workflows())
    count(metrics, outcome.value)
    return outcome


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume_events(event, context, accepts=(OrderPlaced,), handle=_start, logger=logger)
