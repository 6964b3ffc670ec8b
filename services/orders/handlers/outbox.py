"""The outbox: publishes OrderPlaced for every order inserted in the orders table, and
OrderCancellationRequested for every customer's cancellation request inserted beside it.

Triggered by the table's stream. Only INSERTs are published; status updates (MODIFY) and
deletions (REMOVE) are not events of ours. A record that fails is reported
as a partial batch failure, so the stream retries it (and everything after it on its shard);
its OrderPlaced carries the id stored with the order, so a retry publishes the same event
and consumers deduplicate on it.
"""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.observability import service_tracer
from services.orders import bootstrap
from services.orders.adapters.cancellations import requested_cancellation
from services.orders.adapters.dynamodb import placed_order
from services.orders.domain.outbox import publish_order_placed

logger = Logger(service="orders")
tracer = service_tracer("orders")
publisher = functools.cache(bootstrap.publisher)


def record_handler(record: DynamoDBRecord) -> None:
    cancellation = requested_cancellation(record)
    if cancellation is not None:
        publisher().publish([cancellation])  # its id was fixed when the request was stored
        logger.info(
            "published",
            extra={
                "order_id": cancellation.order_id,
                "event": cancellation.detail_type,
                "event_id": str(cancellation.metadata.event_id),
            },
        )
        return
    order = placed_order(record)
    if order is None:
        return
    event = publish_order_placed(order, publisher=publisher())
    logger.info(
        "published",
        extra={
            "order_id": order.order_id,
            "event": event.detail_type,
            "event_id": str(event.metadata.event_id),
        },
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event,
        record_handler=record_handler,
        processor=BatchProcessor(event_type=EventType.DynamoDBStreams),
        context=context,
    )
