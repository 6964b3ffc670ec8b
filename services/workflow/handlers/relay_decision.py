"""OrderApproved / OrderRejected -> SendTaskSuccess / SendTaskFailure(OrderRejected);
ApprovalWithdrawn (the customer cancelled first) -> SendTaskFailure(CustomerCancelled).

A decision for a workflow that already moved on is counted (metric
``DecisionAfterWorkflowMovedOn``), logged as an error and done, never retried.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import ApprovalWithdrawn, OrderApproved, OrderRejected, utc_now
from services.common.consumer import consume_events
from services.common.observability import count, service_tracer
from services.workflow import bootstrap
from services.workflow.domain.relay import (
    DecisionOutcome,
    Relayed,
    TokenNotFoundError,
    relay_decision,
)
from services.workflow.handlers import SERVICE

logger = Logger(service=SERVICE)
tracer = service_tracer(SERVICE)
metrics = Metrics(service=SERVICE)
dependencies = cache(bootstrap.decision_relay)

DECISIONS: tuple[type[Relayed], ...] = (OrderApproved, OrderRejected, ApprovalWithdrawn)


def _relay(event: Relayed) -> DecisionOutcome:
    deps = dependencies()
    try:
        outcome = relay_decision(event, tokens=deps.tokens, tasks=deps.tasks, clock=utc_now)
    except TokenNotFoundError:
        # Counted so an alarm can see it; the message is retried, then lands in the DLQ.
        logger.warning("no task token for this order; the decision will be retried")
        count(metrics, "DecisionWithoutToken")
        raise
    if outcome is DecisionOutcome.MOVED_ON:
        # The owner may have been told their decision counted: an alarm must see this.
        logger.error(
            "decision reached a workflow that had moved on",
            extra={"decision": event.detail_type},
        )
    count(metrics, outcome.value)
    return outcome


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume_events(event, context, accepts=DECISIONS, handle=_relay, logger=logger)
