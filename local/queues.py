"""How many messages an SQS queue holds."""

from __future__ import annotations

from typing import Any

HELD = ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")


def queue_depth(sqs: Any, url: str) -> int:
    """Messages in the queue, visible or in flight (being handled)."""
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(HELD))["Attributes"]
    return sum(int(attributes.get(name, 0)) for name in HELD)
