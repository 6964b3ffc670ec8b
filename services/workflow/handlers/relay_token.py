"""Token message (private queue, sent by the state machine) -> token table + ApprovalRequested.

Plain SQS messages, not EventBridge events, parsed one at a time under Powertools' batch
processor: a bad record fails alone and reaches the DLQ (the execution behind it times out and
cancels the order). Parsed here, not by ``BatchProcessor(model=...)``, so the error names
fields, never values: the token and the customer's email never reach a log line.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.observability import count, service_tracer
from services.workflow import bootstrap
from services.workflow.domain.relay import keep_token
from services.workflow.handlers import SERVICE
from services.workflow.models import MalformedTokenMessageError, parse_token_request

logger = Logger(service=SERVICE)
tracer = service_tracer(SERVICE)
metrics = Metrics(service=SERVICE)
dependencies = cache(bootstrap.token_relay)


def _record_handler(record: SQSRecord) -> None:
    try:
        request = parse_token_request(record.body)
    except MalformedTokenMessageError as error:
        logger.warning("malformed token message", extra={"problems": str(error)})
        count(metrics, "TokenMessageMalformed")
        raise
    # Thread-local keys: the local stack runs many handlers of one service at once.
    logger.thread_safe_append_keys(order_id=request.order_id)
    try:
        deps = dependencies()
        outcome = keep_token(request, tokens=deps.tokens, publisher=deps.publisher)
        count(metrics, outcome.value)
        logger.info("handled", extra={"outcome": outcome.value})
    finally:
        logger.thread_safe_remove_keys(["order_id"])


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event,
        record_handler=_record_handler,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )
