"""The Lambda function: an SQS batch of the shop's events, each applied to the ledger.

A record that fails (bad event, DynamoDB error) is reported as a partial failure: SQS
retries it, then moves it to our DLQ, and the rest of the batch goes through.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.ledger import DynamoLedger
from loyalty.model import parse_event
from loyalty.points import apply

TABLE_ENV_VAR = "LOYALTY_TABLE_NAME"
logger = Logger(service="loyalty")
processor = BatchProcessor(event_type=EventType.SQS)


@cache
def ledger() -> DynamoLedger:
    return DynamoLedger(boto3.resource("dynamodb").Table(os.environ[TABLE_ENV_VAR]))


def record_handler(record: SQSRecord) -> None:
    event = parse_event(record.body)
    outcome = apply(event, ledger())
    # The order id only: customer emails stay out of our logs.
    logger.info("loyalty", extra={"order_id": event.data.order_id, "outcome": outcome})


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Any:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
