"""Announces what became of each customer email on the bus (EmailOutcomeRecorded)."""

from __future__ import annotations

import uuid
from datetime import datetime

from events.models import EmailOutcomeRecorded, EmailOutcomeRecordedData, Metadata, utc_now
from events.publisher import EventPublisher
from services.notifications.models import EmailKind, EmailOutcome

# Event ids are derived from (order, kind, outcome) within this namespace, so a second
# announcement of the same outcome is the same event to its consumers.
OUTCOME_NAMESPACE = uuid.UUID("6f1c2b8e-4d3a-5e7f-9a0b-1c2d3e4f5a6b")


def outcome_event_id(order_id: str, kind: EmailKind, outcome: EmailOutcome) -> uuid.UUID:
    return uuid.uuid5(OUTCOME_NAMESPACE, f"{order_id}/{kind.value}/{outcome}")


class BusOutcomeAnnouncer:
    def __init__(self, publisher: EventPublisher) -> None:
        self._publisher = publisher

    def announce(self, order_id: str, kind: EmailKind, outcome: EmailOutcome, at: datetime) -> None:
        data = EmailOutcomeRecordedData(
            order_id=order_id, email=kind.value, outcome=outcome, recorded_at=at
        )
        event = EmailOutcomeRecorded(
            metadata=Metadata(
                event_id=outcome_event_id(order_id, kind, outcome),
                event_version=EmailOutcomeRecorded.version,
                occurred_at=utc_now(),
                correlation_id=order_id,
            ),
            data=data,
        )
        self._publisher.publish([event])
