"""Records what SES reports about each customer email (configuration set events from the
account's default bus, through the ``delivery-events`` queue) in the sent-email ledger, and
announces it on the shop's bus (EmailOutcomeRecorded)."""

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

from services.common.envelope import BusEnvelope
from services.common.observability import count, service_tracer
from services.notifications import bootstrap
from services.notifications.domain.notify import record_delivery
from services.notifications.handlers import SERVICE
from services.notifications.ses_events import delivery_report

logger = Logger(service=SERVICE)
tracer = service_tracer(SERVICE)
metrics = Metrics(service=SERVICE)
dependencies = functools.cache(bootstrap.delivery)

# Metric per reported status: bounce and complaint rates are alarmed on against sends.
METRIC_OF_STATUS = {
    "sent": "EmailAcceptedBySes",
    "delivered": "EmailDelivered",
    "failed": "EmailBouncedOrRejected",
    "complained": "EmailComplaint",
}


def _record(record: SQSRecord) -> None:
    envelope = BusEnvelope.model_validate_json(record.body)
    report = delivery_report(envelope.detail, envelope.time)
    if report is None:
        return
    moved = record_delivery(report, dependencies())
    if moved:
        count(metrics, METRIC_OF_STATUS[report.status])
    about = {"order_id": report.order_id, "kind": report.kind.value, "status": report.status}
    logger.info("delivery report", extra={**about, "reason": report.reason, "recorded": moved})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event,
        record_handler=_record,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )
