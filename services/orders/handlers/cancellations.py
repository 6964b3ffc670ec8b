"""Records the approvals service's answer to a customer's cancellation (ApprovalWithdrawn or
OrderCancellationRefused) on the request, where the API call waiting for it reads it."""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.consumer import consume_events
from services.common.observability import service_tracer
from services.orders import bootstrap
from services.orders.domain.cancelling import CANCELLATION_ANSWERS, record_answer

logger = Logger(service="orders")
tracer = service_tracer("orders")
cancellations = functools.cache(bootstrap.cancellations)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    requests = cancellations()
    return consume_events(
        event,
        context,
        accepts=CANCELLATION_ANSWERS,
        handle=lambda typed: record_answer(typed, cancellations=requests),
        logger=logger,
    )
