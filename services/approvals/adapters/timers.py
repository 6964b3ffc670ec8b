"""Reminder timers as EventBridge Scheduler one-time schedules.

One schedule per reminder, named ``<approval id>-<reminder>`` in the service's schedule group:
``at(...)`` in UTC, no flexible window, deleted by Scheduler once it has fired. Its target is
the reminders queue (the input is the ``ReminderDue`` as JSON, which Scheduler sends as the
message body), through a role Scheduler assumes that may only send there; what Scheduler
cannot deliver after its retries goes to the queue's DLQ.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from services.approvals.domain.reminders import PlannedReminder

if TYPE_CHECKING:
    from mypy_boto3_scheduler import EventBridgeSchedulerClient

log = logging.getLogger(__name__)
# Scheduler retries a failed delivery for this long (or this often) before the DLQ; a
# reminder that arrives much later than its point is of little use.
MAX_EVENT_AGE_SECONDS = 3600
MAX_RETRY_ATTEMPTS = 10
_ALREADY_SET = "ConflictException"
_GONE = "ResourceNotFoundException"


def schedule_name(approval_id: str, reminder: int) -> str:
    return f"{approval_id}-{reminder}"


@dataclass(frozen=True)
class ScheduleTarget:
    """Where a timer delivers: the queue, the role Scheduler assumes, the DLQ (ARNs)."""

    arn: str
    role_arn: str
    dead_letter_arn: str


class SchedulerReminderTimers:
    """``target`` is needed to set timers only; cancelling needs the group and how many
    reminders an approval has (``planned``)."""

    def __init__(
        self,
        client: EventBridgeSchedulerClient,
        *,
        group: str,
        planned: int,
        target: ScheduleTarget | None = None,
    ) -> None:
        self._client = client
        self._group = group
        self._planned = planned
        self._target = target

    def set(self, reminders: Sequence[PlannedReminder]) -> None:
        target = self._target
        if target is None:
            raise ValueError("these timers have no target: they can only be cancelled")
        for reminder in reminders:
            try:
                self._client.create_schedule(
                    Name=schedule_name(reminder.due.approval_id, reminder.due.reminder),
                    GroupName=self._group,
                    ScheduleExpression=f"at({reminder.at:%Y-%m-%dT%H:%M:%S})",
                    ScheduleExpressionTimezone="UTC",
                    FlexibleTimeWindow={"Mode": "OFF"},
                    ActionAfterCompletion="DELETE",
                    Target={
                        "Arn": target.arn,
                        "RoleArn": target.role_arn,
                        "Input": reminder.due.model_dump_json(),
                        "DeadLetterConfig": {"Arn": target.dead_letter_arn},
                        "RetryPolicy": {
                            "MaximumEventAgeInSeconds": MAX_EVENT_AGE_SECONDS,
                            "MaximumRetryAttempts": MAX_RETRY_ATTEMPTS,
                        },
                    },
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != _ALREADY_SET:
                    raise  # a redelivered request finds its timers set: that is fine

    def cancel(self, approval_id: str) -> None:
        for reminder in range(1, self._planned + 1):
            try:
                self._client.delete_schedule(
                    Name=schedule_name(approval_id, reminder), GroupName=self._group
                )
            except ClientError as error:
                # Fired and deleted already, or not deletable now: the reminder handler
                # reads the ledger and sends nothing for a decided approval anyway.
                if error.response.get("Error", {}).get("Code") != _GONE:
                    log.warning(
                        "reminder timer not deleted",
                        extra={"error": error.response.get("Error", {}).get("Code")},
                    )
