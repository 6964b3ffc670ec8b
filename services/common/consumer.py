"""Turns an SQS batch of EventBridge events into typed contract events, one at a time.

Every consumer in the shop is a Lambda behind an SQS queue that a bus rule feeds. This wraps
Powertools' batch processor so that each record is parsed (EventBridge envelope, then the
event's own model), handed to domain code, and reported as a partial failure when anything
raises: a bad record goes back to the queue (and after its receives, to the DLQ) without
holding up the rest of the batch.

What a record must be to be believed is ``services.common.envelope``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import Event, UnknownEventError
from services.common.envelope import (
    ForeignSourceError,
    MalformedEventError,
    UnexpectedEventError,
    parse_record,
)

E = TypeVar("E", bound=Event)


class NoTimeLeftError(RuntimeError):
    """Too little of the invocation is left to handle one more record: it goes back to the
    queue untouched instead of being cut off by the function's timeout mid-way."""


def consume_events(
    event: dict[str, Any],
    context: LambdaContext,
    *,
    accepts: tuple[type[E], ...],
    handle: Callable[[E], object],
    logger: Logger,
    record_budget_ms: int = 0,
    parse: Callable[[SQSRecord, tuple[type[E], ...]], E] = parse_record,
) -> PartialItemFailureResponse:
    """Process an SQS event whose records carry EventBridge events; report partial failures.

    ``record_budget_ms`` is the longest one record can take: once less than that is left of
    the invocation, the remaining records are reported as failures without being touched.
    ``parse`` turns a record into an event; a consumer with its own models of the events it
    reads passes its own (raising the same errors ``parse_record`` does).
    """

    def record_handler(record: SQSRecord) -> None:
        if record_budget_ms and context.get_remaining_time_in_millis() < record_budget_ms:
            raise NoTimeLeftError(f"less than {record_budget_ms} ms left")
        try:
            typed = parse(record, accepts)
        except ForeignSourceError as error:
            logger.error(
                "rejected: event from a foreign source",
                extra={
                    "message_id": record.message_id,
                    "detail_type": error.detail_type,
                    "source": error.source,
                    "error": str(error),
                },
            )
            raise
        except (MalformedEventError, UnexpectedEventError, UnknownEventError) as error:
            logger.warning("rejected", extra={"message_id": record.message_id, "error": str(error)})
            raise
        # Thread-local keys: the local stack runs many handlers of one service at once.
        logger.thread_safe_append_keys(order_id=typed.order_id, event=typed.detail_type)
        try:
            outcome = handle(typed)
            logger.info("handled", extra={"outcome": str(outcome)})
        except Exception as error:
            # The type only: an exception's text can carry what the event carried.
            logger.warning("failed", extra={"error": type(error).__name__})
            raise
        finally:
            logger.thread_safe_remove_keys(["order_id", "event"])

    return process_partial_response(
        event=event,
        record_handler=record_handler,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )
