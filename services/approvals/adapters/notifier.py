"""Sends the owner's approval request to the owner topic (SNS: email, or anything subscribed).

The message is plain text rendered here, from ``templates/owner_message.txt``: how the request
reads is the concern of the channel that carries it, not of the domain that asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.approvals.adapters.templates import environment
from services.approvals.domain.ports import OwnerRequest

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

# SNS subjects must be under 100 ASCII characters with no line breaks.
MAX_SUBJECT_CHARS = 99

_env = environment()


@dataclass(frozen=True)
class OwnerMessage:
    subject: str
    text: str


def owner_message(request: OwnerRequest) -> OwnerMessage:
    approval = request.approval
    text = _env.get_template("owner_message.txt").render(
        order=approval.order, deadline=approval.deadline, links=request.links
    )
    return OwnerMessage(subject=f"Order {approval.order_id} needs your approval", text=text)


class SnsOwnerNotifier:
    def __init__(self, client: SNSClient, topic_arn: str) -> None:
        self._client = client
        self._topic_arn = topic_arn

    def send(self, request: OwnerRequest) -> None:
        message = owner_message(request)
        self._client.publish(
            TopicArn=self._topic_arn,
            Subject=sns_subject(message.subject),
            Message=message.text,
        )


def sns_subject(subject: str) -> str:
    ascii_only = subject.encode("ascii", "replace").decode("ascii")
    one_line = " ".join(ascii_only.split())
    return one_line[:MAX_SUBJECT_CHARS]
