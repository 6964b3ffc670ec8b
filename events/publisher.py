"""Publishes contract events to the EventBridge bus: the one way every service emits."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from events.models import Event

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_events.type_defs import PutEventsRequestEntryTypeDef

MAX_ENTRIES_PER_CALL = 10  # PutEvents accepts at most ten entries per request.
# Lambda puts the invocation's X-Ray trace header here; passed on, the trace follows the event.
TRACE_HEADER_ENV_VAR = "_X_AMZN_TRACE_ID"


class EventPublisher(Protocol):
    def publish(self, events: Sequence[Event]) -> None: ...


@dataclass(frozen=True)
class FailedEntry:
    detail_type: str
    event_id: str
    correlation_id: str
    error_code: str
    error_message: str

    def __str__(self) -> str:
        return (
            f"{self.detail_type} {self.event_id} (order {self.correlation_id}): "
            f"{self.error_code} {self.error_message}"
        )


class PublishError(RuntimeError):
    """Some entries were not accepted by EventBridge; the caller must retry them."""

    def __init__(self, failed: list[FailedEntry]) -> None:
        self.failed = failed
        listed = "; ".join(str(entry) for entry in failed)
        super().__init__(f"{len(failed)} event(s) were not published: {listed}")


class EventBridgePublisher:
    def __init__(self, client: EventBridgeClient, bus_name: str) -> None:
        self._client = client
        self._bus_name = bus_name

    def publish(self, events: Sequence[Event]) -> None:
        failed: list[FailedEntry] = []
        for start in range(0, len(events), MAX_ENTRIES_PER_CALL):
            batch = events[start : start + MAX_ENTRIES_PER_CALL]
            response = self._client.put_events(Entries=[self._entry(e) for e in batch])
            if response.get("FailedEntryCount", 0):
                failed.extend(_failed_entries(batch, response["Entries"]))
        if failed:
            raise PublishError(failed)

    def _entry(self, event: Event) -> PutEventsRequestEntryTypeDef:
        entry: PutEventsRequestEntryTypeDef = {
            "EventBusName": self._bus_name,
            "Source": event.source,
            "DetailType": event.detail_type,
            "Detail": event.detail_json(),
            "Time": event.metadata.occurred_at,
        }
        if trace_header := os.environ.get(TRACE_HEADER_ENV_VAR):
            entry["TraceHeader"] = trace_header
        return entry


def _failed_entries(batch: Sequence[Event], results: Sequence[Any]) -> list[FailedEntry]:
    # PutEvents answers entry by entry, in request order; a failed one has an ErrorCode.
    return [
        FailedEntry(
            detail_type=event.detail_type,
            event_id=str(event.metadata.event_id),
            correlation_id=event.metadata.correlation_id,
            error_code=result.get("ErrorCode", "Unknown"),
            error_message=result.get("ErrorMessage", ""),
        )
        for event, result in zip(batch, results, strict=True)
        if "ErrorCode" in result
    ]
