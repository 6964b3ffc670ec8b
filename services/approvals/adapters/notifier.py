"""Sends the owner's approval request to the owner topic (SNS: email, or anything subscribed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.approvals.domain.ports import OwnerMessage

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

# SNS subjects must be under 100 ASCII characters with no line breaks.
MAX_SUBJECT_CHARS = 99


class SnsOwnerNotifier:
    def __init__(self, client: SNSClient, topic_arn: str) -> None:
        self._client = client
        self._topic_arn = topic_arn

    def send(self, message: OwnerMessage) -> None:
        self._client.publish(
            TopicArn=self._topic_arn,
            Subject=sns_subject(message.subject),
            Message=message.text,
        )


def sns_subject(subject: str) -> str:
    ascii_only = subject.encode("ascii", "replace").decode("ascii")
    one_line = " ".join(ascii_only.split())
    return one_line[:MAX_SUBJECT_CHARS]
