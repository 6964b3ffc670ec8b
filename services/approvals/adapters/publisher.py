"""The decision function's way onto the bus: the shared EventBridge publisher."""

from __future__ import annotations

from typing import TYPE_CHECKING

from events.publisher import EventBridgePublisher

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient


def bus_publisher(client: EventBridgeClient, bus_name: str) -> EventBridgePublisher:
    return EventBridgePublisher(client, bus_name)
