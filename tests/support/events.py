"""Builders for the Lambda events AWS sends, from contract events."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from events.models import Event
from local.bus_tap import TappedEvent


def eventbridge_event(
    event: Event, *, bus: str = "shop", source: str | None = None
) -> dict[str, Any]:
    """The EventBridge envelope a rule delivers for ``event`` (put by ``source``, by default
    the producer the contract names)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": event.detail_type,
        "source": source or event.source,
        "account": "123456789012",
        "time": event.metadata.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [],
        "detail": json.loads(event.detail_json()),
    }


def sqs_record(body: str, *, message_id: str | None = None) -> dict[str, Any]:
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": "handle",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "0",
            "SenderId": "sender",
            "ApproximateFirstReceiveTimestamp": "0",
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:queue",
        "awsRegion": "us-east-1",
    }


def sqs_event(*events: Event, raw_bodies: tuple[str, ...] = ()) -> dict[str, Any]:
    """An SQS event whose records carry ``events`` (as a rule delivers them) and raw bodies."""
    bodies = [json.dumps(eventbridge_event(e)) for e in events] + list(raw_bodies)
    return {"Records": [sqs_record(b) for b in bodies]}


def put_again(events_client: Any, bus_name: str, tapped: Iterable[TappedEvent]) -> None:
    """Put each tapped event on the bus once more, as at-least-once delivery may."""
    for event in tapped:
        events_client.put_events(
            Entries=[
                {
                    "EventBusName": bus_name,
                    "Source": event.source,
                    "DetailType": event.detail_type,
                    "Detail": json.dumps(event.detail),
                }
            ]
        )
