"""A listener on the bus that keeps every shop event: the demo's timeline and the tests'
evidence of what each producer emitted. A rule of its own feeds a queue of its own; no
service's resources are touched."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from events.models import ALL_EVENTS


@dataclass(frozen=True)
class TappedEvent:
    detail_type: str
    source: str
    time: str
    detail: dict[str, Any]

    @property
    def order_id(self) -> str:
        return str(self.detail.get("metadata", {}).get("correlation_id", ""))


class BusTap:
    def __init__(self, events: Any, sqs: Any, bus_name: str, name: str) -> None:
        self._sqs = sqs
        self._lock = threading.Lock()
        self.events: list[TappedEvent] = []
        self._url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])
        sources = sorted({event.source for event in ALL_EVENTS})
        events.put_rule(
            Name=name, EventBusName=bus_name, EventPattern=json.dumps({"source": sources})
        )
        events.put_targets(
            Rule=name,
            EventBusName=bus_name,
            Targets=[{"Id": "tap", "Arn": arn["Attributes"]["QueueArn"]}],
        )

    def collect(self) -> list[TappedEvent]:
        """Take what arrived since the last look; returns every event seen so far."""
        with self._lock:
            while True:
                messages = self._sqs.receive_message(
                    QueueUrl=self._url, MaxNumberOfMessages=10, WaitTimeSeconds=0
                ).get("Messages", [])
                if not messages:
                    return list(self.events)
                for message in messages:
                    body = json.loads(message["Body"])
                    self.events.append(
                        TappedEvent(
                            body["detail-type"], body["source"], body["time"], body["detail"]
                        )
                    )
                # One call for the batch: the tap reads every event on the bus.
                self._sqs.delete_message_batch(
                    QueueUrl=self._url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(messages)
                    ],
                )

    def for_order(self, order_id: str, detail_type: str | None = None) -> list[TappedEvent]:
        return [
            e
            for e in self.collect()
            if e.order_id == order_id and (detail_type is None or e.detail_type == detail_type)
        ]
