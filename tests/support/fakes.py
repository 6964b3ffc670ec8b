"""In-memory stand-ins for the adapters domain code receives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from events.models import Event


@dataclass
class RecordingPublisher:
    published: list[Event] = field(default_factory=list)

    def publish(self, events: Sequence[Event]) -> None:
        self.published.extend(events)

    def of_type(self, detail_type: str) -> list[Event]:
        return [e for e in self.published if e.detail_type == detail_type]
