"""SQS consumer of ApprovalRequested (open an approval, tell the owner), OrderCancelled
(close it) and OrderCancellationRequested (the customer's cancellation against the owner)."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from services.approvals import bootstrap
from services.approvals.domain.requests import (
    OWNER_NOTIFIED,
    WORKFLOW_EVENTS,
    WorkflowEvent,
    on_workflow_event,
)
from services.approvals.domain.withdrawals import (
    REFUSED,
    WITHDRAWN,
    WITHDRAWN_BEFORE_REQUEST,
)
from services.common.consumer import consume_events
from services.common.observability import count, service_tracer

logger = Logger(service="approvals")
tracer = service_tracer("approvals")
metrics = Metrics(service="approvals")
dependencies = functools.cache(bootstrap.request_dependencies)


def handle(event: WorkflowEvent) -> str:
    result = on_workflow_event(event, dependencies(), now=utc_now())
    if result == OWNER_NOTIFIED:
        count(metrics, "ApprovalRequested")
    elif result in (WITHDRAWN, WITHDRAWN_BEFORE_REQUEST):
        count(metrics, "ApprovalWithdrawn")
    elif result == REFUSED:
        count(metrics, "CancellationRefused")
    return result


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume_events(
        event,
        context,
        accepts=WORKFLOW_EVENTS,
        handle=handle,
        logger=logger,
    )
