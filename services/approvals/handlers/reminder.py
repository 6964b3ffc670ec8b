"""SQS consumer of the reminder timers: each message is a ``ReminderDue`` (a schedule's input)."""

from __future__ import annotations

import functools
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
from pydantic import ValidationError

from events.models import utc_now
from services.approvals import bootstrap
from services.approvals.domain.reminders import ESCALATED, REMINDED, ReminderDue, remind
from services.common.errors import field_problems
from services.common.observability import count, service_tracer

logger = Logger(service="approvals")
tracer = service_tracer("approvals")
metrics = Metrics(service="approvals")
dependencies = functools.cache(bootstrap.reminder_dependencies)
processor = BatchProcessor(event_type=EventType.SQS)


def handle(record: SQSRecord) -> None:
    try:
        due = ReminderDue.model_validate_json(record.body)
    except ValidationError as error:
        # Never the values: only the fields and what is wrong with them.
        logger.warning("rejected timer message", extra={"error": field_problems(error)})
        raise
    result = remind(due, dependencies(), now=utc_now())
    logger.info("reminder", extra={"reminder": due.reminder, "outcome": result})
    if result in (REMINDED, ESCALATED):
        count(metrics, "ApprovalReminded")
        if result == ESCALATED:
            count(metrics, "ApprovalEscalated")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle, processor=processor, context=context
    )
