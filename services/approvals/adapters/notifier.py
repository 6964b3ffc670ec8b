"""Sends the owner's approval request and reminders to the owner topic, and the last reminder
to the backup approver's topic (SNS: email, or anything subscribed).

The message is plain text rendered here, from ``templates/owner_message.txt``: how the request
reads is the concern of the channel that carries it, not of the domain that asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from services.approvals.adapters.templates import environment
from services.approvals.domain.ports import OwnerRequest
from services.approvals.domain.reminders import Reminder

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


def reminder_message(reminder: Reminder) -> OwnerMessage:
    approval = reminder.approval
    left = time_left(reminder.time_left)
    text = _env.get_template("reminder_message.txt").render(
        order=approval.order,
        deadline=approval.deadline,
        links=reminder.links,
        number=reminder.number,
        planned=reminder.planned,
        time_left=left,
        to_backup=reminder.to_backup,
    )
    if reminder.to_backup:
        subject = f"Order {approval.order_id} needs a decision: you are the backup approver"
    else:
        subject = f"Reminder: order {approval.order_id} needs your approval ({left} left)"
    return OwnerMessage(subject=subject, text=text)


def time_left(left: timedelta) -> str:
    """The two largest units of what is left: "1 d 4 h", "2 h 5 min", "45 s"."""
    seconds = max(0, int(left.total_seconds()))
    units = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))
    for index, (name, size) in enumerate(units):
        if seconds >= size or size == 1:
            text = f"{seconds // size} {name}"
            if size > 1:
                next_name, next_size = units[index + 1]
                if rest := (seconds % size) // next_size:
                    text += f" {rest} {next_name}"
            return text
    raise AssertionError("unreachable: the last unit always matches")


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


class SnsReminderNotifier:
    """Reminders to one topic: the owner's, or the backup approver's."""

    def __init__(self, client: SNSClient, topic_arn: str) -> None:
        self._client = client
        self._topic_arn = topic_arn

    def send(self, reminder: Reminder) -> None:
        message = reminder_message(reminder)
        self._client.publish(
            TopicArn=self._topic_arn, Subject=sns_subject(message.subject), Message=message.text
        )
