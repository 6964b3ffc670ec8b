"""Token message (private queue, sent by the state machine) -> token table + ApprovalRequested.

These records are plain SQS messages, not EventBridge events, so they are parsed here with
the workflow's own model (``TokenRequest``), one record at a time under Powertools' batch
processor: a bad record fails alone (partial batch response) and reaches the DLQ after its
receives, while the execution behind it times out and cancels the order. Parsing happens in
the record handler rather than through ``BatchProcessor(model=...)`` so that the error that
is logged and raised names fields, never values: the token and the customer's email never
reach a log line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.publisher import EventBridgePublisher
from services.common.observability import count
from services.workflow.adapters.tokens import DynamoTokenStore
from services.workflow.domain.relay import keep_token
from services.workflow.handlers import SERVICE
from services.workflow.models import MalformedTokenMessageError, parse_token_request
from services.workflow.settings import RelaySettings

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(service=SERVICE)


@dataclass(frozen=True)
class Dependencies:
    tokens: DynamoTokenStore
    publisher: EventBridgePublisher


@cache
def dependencies() -> Dependencies:
    settings = RelaySettings()  # read from the environment
    return Dependencies(
        tokens=DynamoTokenStore(boto3.client("dynamodb"), settings.workflow_tokens_table_name),
        publisher=EventBridgePublisher(boto3.client("events"), settings.event_bus_name),
    )


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
