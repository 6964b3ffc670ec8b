"""The reminder timers on moto: set as Scheduler schedules when an approval opens, answered by
the reminder function, removed by a decision."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from local.links import decision_link, forms_in
from services.approvals.handlers import reminder
from tests.integration.approvals.conftest import Approvals, lambda_context
from tests.unit.approvals.fakes import approval_requested


@pytest.fixture(autouse=True)
def fresh_reminder_function() -> Any:
    reminder.dependencies.cache_clear()
    yield
    reminder.dependencies.cache_clear()


def timers(approvals: Approvals) -> list[dict[str, Any]]:
    scheduler = boto3.client("scheduler")
    group = approvals.provisioned.schedule_groups["reminders"]
    names = [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]]
    return [dict(scheduler.get_schedule(Name=n, GroupName=group)) for n in sorted(names)]


def fire(body: str) -> dict[str, Any]:
    record = {
        "messageId": "m-1",
        "receiptHandle": "r-1",
        "body": body,
        "attributes": {},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:reminders",
        "awsRegion": "us-east-1",
    }
    return dict(reminder.lambda_handler({"Records": [record]}, lambda_context()))


def reminders(approvals: Approvals) -> list[str]:
    return [m.text for m in approvals.owner_messages() if m.subject.startswith("Reminder")]


def test_opening_an_approval_sets_one_one_time_timer_per_reminder(approvals: Approvals) -> None:
    approvals.deliver(approval_requested("ord_t1"))

    set_ = timers(approvals)
    env = approvals.provisioned.env
    assert [t["ScheduleExpression"][:3] for t in set_] == ["at(", "at("]
    assert all(t["ActionAfterCompletion"] == "DELETE" for t in set_)
    assert {t["Target"]["Arn"] for t in set_} == {env["APPROVALS_REMINDERS_TARGET_ARN"]}
    assert {t["Target"]["DeadLetterConfig"]["Arn"] for t in set_} == {
        env["APPROVALS_REMINDERS_DLQ_ARN"]
    }
    assert [json.loads(t["Target"]["Input"])["reminder"] for t in set_] == [1, 2]

    approvals.deliver(approval_requested("ord_t1"))  # redelivered: still two timers
    assert len(timers(approvals)) == 2


def test_a_fired_timer_reminds_the_owner_once_and_says_so_on_the_bus(approvals: Approvals) -> None:
    approvals.deliver(approval_requested("ord_t2"))
    first = timers(approvals)[0]["Target"]["Input"]

    assert fire(first) == {"batchItemFailures": []}
    assert fire(first) == {"batchItemFailures": []}  # the same timer delivered twice

    [text] = reminders(approvals)
    assert "Reminder 1 of 2: order ord_t2" in text
    [event] = approvals.bus_events("ApprovalReminded")
    assert event.detail["data"]["reminder"] == 1


def test_a_message_that_is_not_a_timer_fails_and_sends_nothing(approvals: Approvals) -> None:
    approvals.deliver(approval_requested("ord_t3"))

    with pytest.raises(BatchProcessingError):  # a batch of one failed record is retried whole
        fire('{"approval_id": "not an id", "reminder": 1}')

    assert reminders(approvals) == []
    assert approvals.bus_events("ApprovalReminded") == []


def test_a_decision_removes_the_timers_still_to_come(approvals: Approvals) -> None:
    approvals.deliver(approval_requested("ord_t4"))
    [request] = [m for m in approvals.owner_messages() if "ord_t4" in m.text]
    page = approvals.open(decision_link(request.text, "approve"))
    [form] = forms_in(page.text)

    result = approvals.submit(decision_link(request.text, "approve"), form.fields)

    assert result.status == 200
    assert timers(approvals) == []
