"""The local stack's EventBridge Scheduler: one-time schedules fire at their second, deliver
their input to the SQS target and are deleted; cancelled ones never fire. Driven through the
approvals service's own timer adapter, on moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from local.schedules import ScheduleFirer, due_at
from services.approvals.adapters.timers import SchedulerReminderTimers, ScheduleTarget
from services.approvals.domain.reminders import PlannedReminder, ReminderDue
from tests.support.polling import wait_until

GROUP = "test-reminders"
APPROVAL = "a" * 32


@pytest.fixture
def target(aws: None) -> ScheduleTarget:
    sqs = boto3.client("sqs")
    urls = [sqs.create_queue(QueueName=name)["QueueUrl"] for name in ("timers", "timers-dlq")]
    arns = [
        sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        for u in urls
    ]
    boto3.client("scheduler").create_schedule_group(Name=GROUP)
    return ScheduleTarget(arns[0], "arn:aws:iam::123456789012:role/scheduler", arns[1])


@pytest.fixture
def firer(target: ScheduleTarget) -> Iterator[ScheduleFirer]:
    firer = ScheduleFirer([GROUP], "us-east-1")
    firer.install(boto3._get_default_session())
    firer.start()
    yield firer
    firer.stop()
    firer.uninstall()


def timers(target: ScheduleTarget | None) -> SchedulerReminderTimers:
    return SchedulerReminderTimers(boto3.client("scheduler"), group=GROUP, planned=2, target=target)


def planned(number: int, in_seconds: float) -> PlannedReminder:
    at = datetime.fromtimestamp(int(datetime.now(UTC).timestamp() + in_seconds) + 1, tz=UTC)
    return PlannedReminder(
        ReminderDue(approval_id=APPROVAL, reminder=number, reminders_planned=2), at
    )


def received(queue: str = "timers") -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def schedules() -> list[str]:
    listed = boto3.client("scheduler").list_schedules(GroupName=GROUP)["Schedules"]
    return [s["Name"] for s in listed]


def test_a_timer_fires_at_its_second_delivers_its_input_and_is_deleted(
    target: ScheduleTarget, firer: ScheduleFirer
) -> None:
    reminder = planned(1, 0)
    timers(target).set([reminder])
    timers(target).set([reminder])  # set again (a redelivered request): still one timer

    [body] = wait_until(received, count=1, timeout=5, what="the timer's message")

    assert body == {"approval_id": APPROVAL, "reminder": 1, "reminders_planned": 2}
    assert datetime.now(UTC) >= reminder.at
    wait_until(lambda: not schedules(), timeout=5, what="the fired timer to be deleted")
    assert [d.name for d in firer.delivered] == [f"{APPROVAL}-1"]  # deleted after delivery


def test_cancelled_timers_never_fire(target: ScheduleTarget, firer: ScheduleFirer) -> None:
    timers(target).set([planned(1, 1), planned(2, 1)])
    assert sorted(schedules()) == [f"{APPROVAL}-1", f"{APPROVAL}-2"]

    timers(None).cancel(APPROVAL)
    timers(None).cancel(APPROVAL)  # nothing left to delete: no error either

    assert schedules() == []
    later = planned(1, 1.5)  # a timer of another approval, due after the cancelled ones
    boto3.client("scheduler").create_schedule(
        Name="other-1",
        GroupName=GROUP,
        ScheduleExpression=f"at({later.at:%Y-%m-%dT%H:%M:%S})",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target={"Arn": target.arn, "RoleArn": target.role_arn, "Input": '{"other": 1}'},
    )
    assert wait_until(received, count=1, timeout=6, what="the other timer") == [{"other": 1}]
    delivered = wait_until(lambda: firer.delivered, count=1, timeout=2, what="the record")
    assert [d.name for d in delivered] == ["other-1"]


def test_a_timer_made_before_the_stack_started_fires_when_it_finds_it(
    target: ScheduleTarget,
) -> None:
    timers(target).set([planned(1, -5)])  # already due
    firer = ScheduleFirer([GROUP], "us-east-1")
    firer.start()
    try:
        assert (
            wait_until(received, count=1, timeout=5, what="the overdue timer")[0]["reminder"] == 1
        )
    finally:
        firer.stop()


def test_only_one_time_expressions_are_understood() -> None:
    assert (
        due_at("at(2030-05-01T12:00:00)", "UTC") == datetime(2030, 5, 1, 12, tzinfo=UTC).timestamp()
    )
    assert (
        due_at("at(2030-05-01T14:00:00)", "Europe/Berlin")
        == datetime(2030, 5, 1, 12, tzinfo=UTC).timestamp()
    )
    assert due_at("rate(5 minutes)", None) is None
    assert due_at("cron(0 12 * * ? *)", None) is None
