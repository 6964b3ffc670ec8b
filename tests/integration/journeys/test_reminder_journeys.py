"""Reminders and escalation through the four services, the real state machine and the timers.

Given an order whose owner has a few seconds to decide, the reminder timers (EventBridge
Scheduler schedules, fired by the local stack) remind the owner at their points of the
window; the last one also asks the backup approver. A decision stops what is still to come,
nobody answering still ends in the cancellation, and nothing is sent twice when every event
and every timer is delivered again.
"""

from __future__ import annotations

import pytest

from local.links import decision_link, follow
from local.mailbox import MailItem
from local.stack import LocalStack
from tests.integration.journeys.conftest import StackFactory, get_order, place_order, send
from tests.support.events import put_again
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(120)

# What became of each email: asserted by the notifications tests, not a step of this journey.
EMAIL_OUTCOME = "EmailOutcomeRecorded"


def approver_messages(stack: LocalStack, order_id: str, reader: str) -> list[MailItem]:
    """What ``reader`` ("store owner", "backup approver") was sent about the order, oldest
    first."""
    return [
        m
        for m in reversed(stack.mailbox.owner_messages())
        if order_id in m.body and any(reader in to for to in m.to)
    ]


def reminders(stack: LocalStack, order_id: str) -> list[MailItem]:
    return [m for m in approver_messages(stack, order_id, "store owner") if "Reminder" in m.subject]


def wait_for_reminders(stack: LocalStack, order_id: str, count: int) -> list[MailItem]:
    return wait_until(
        lambda: reminders(stack, order_id),
        count=count,
        timeout=20,
        what=f"{count} reminder(s) about {order_id}",
    )


def customer_emails(stack: LocalStack, order_id: str) -> list[MailItem]:
    return [m for m in stack.mailbox.items() if m.kind == "email" and order_id in m.subject]


def wait_for_email(stack: LocalStack, order_id: str, word: str) -> MailItem:
    return stack.mailbox.wait_for(
        lambda m: m.kind == "email" and order_id in m.subject and word in m.subject.lower(),
        timeout=30,
    )[0]


def timers_left(stack: LocalStack) -> list[str]:
    group = stack.provisioned["approvals"].schedule_groups["reminders"]
    schedules = stack.client("scheduler").list_schedules(GroupName=group)["Schedules"]
    return [s["Name"] for s in schedules]


def data(stack: LocalStack, order_id: str, detail_type: str) -> list[dict[str, object]]:
    return [e.detail["data"] for e in stack.tap.for_order(order_id, detail_type)]


def test_reminded_owner_approves_and_no_later_reminder_comes(make_stack: StackFactory) -> None:
    stack = make_stack(
        approval_window_seconds=9, decision_margin_seconds=1, reminder_points="20,80"
    )
    order_id = place_order(stack, "reminded@example.com")

    [reminder] = wait_for_reminders(stack, order_id, 1)
    assert "Reminder 1 of 2" in reminder.body
    assert "Time left:" in reminder.body
    assert "Enamel mug" in reminder.body
    _, result = follow(send(stack), decision_link(reminder.body, "approve"))
    assert result is not None
    assert result.status == 200
    assert "approved" in result.text.lower()

    # The decision removed the timer still to come: no second reminder can fire.
    wait_until(lambda: not timers_left(stack), what="the second reminder's timer to go")
    wait_for_email(stack, order_id, "shipped")
    stack.wait_until_idle()
    assert len(reminders(stack, order_id)) == 1
    assert approver_messages(stack, order_id, "backup approver") == []
    assert [
        (d["reminder"], d["reminders_planned"], d["escalated"])
        for d in data(stack, order_id, "ApprovalReminded")
    ] == [(1, 2, False)]
    assert data(stack, order_id, "ApprovalEscalated") == []
    assert [d["decided_by"] for d in data(stack, order_id, "OrderApproved")] == ["owner"]
    assert get_order(stack, order_id, "reminded@example.com").json_status() in (
        "shipped",
        "feedback_requested",
    )


def test_last_reminder_escalates_and_the_backup_approver_decides(
    make_stack: StackFactory,
) -> None:
    stack = make_stack(
        approval_window_seconds=10, decision_margin_seconds=1, reminder_points="15,40"
    )
    order_id = place_order(stack, "escalated@example.com")

    [asked] = wait_until(
        lambda: approver_messages(stack, order_id, "backup approver"),
        count=1,
        timeout=20,
        what="the backup approver's message",
    )
    assert "backup approver" in asked.subject
    assert "decide in their place" in asked.body
    assert "by=backup" in decision_link(asked.body, "reject")
    assert "by=backup" not in decision_link(reminders(stack, order_id)[-1].body, "reject")
    _, result = follow(send(stack), decision_link(asked.body, "reject"), comment="Not in stock")
    assert result is not None
    assert result.status == 200
    assert "rejected" in result.text.lower()

    cancelled = wait_for_email(stack, order_id, "cancelled")
    assert "could not fulfil" in cancelled.body
    stack.wait_until_idle()
    assert len(reminders(stack, order_id)) == 2
    assert [(d["reminder"], d["escalated"]) for d in data(stack, order_id, "ApprovalReminded")] == [
        (1, False),
        (2, True),
    ]
    [escalated] = data(stack, order_id, "ApprovalEscalated")
    assert escalated["expires_at"] == data(stack, order_id, "ApprovalReminded")[1]["expires_at"]
    [rejected] = data(stack, order_id, "OrderRejected")
    assert (rejected["decided_by"], rejected["comment"]) == ("backup", "Not in stock")
    # The owner's own link now says what the backup approver decided.
    page, late = follow(send(stack), decision_link(reminders(stack, order_id)[0].body, "approve"))
    assert late is None
    assert "rejected by the backup approver" in page.text
    assert get_order(stack, order_id, "escalated@example.com").status == 404


def test_nobody_answers_even_after_reminders_and_the_order_is_cancelled(
    make_stack: StackFactory,
) -> None:
    stack = make_stack(
        approval_window_seconds=5, decision_margin_seconds=1, reminder_points="25,60"
    )
    order_id = place_order(stack, "silent@example.com")

    cancelled = wait_for_email(stack, order_id, "cancelled")
    assert "did not confirm your order in time" in cancelled.body
    stack.wait_until_idle()
    assert len(reminders(stack, order_id)) == 2
    assert len(approver_messages(stack, order_id, "backup approver")) == 1
    journey = [e for e in stack.tap.for_order(order_id) if e.detail_type != EMAIL_OUTCOME]
    assert [e.detail_type for e in journey] == [
        "OrderPlaced",
        "ApprovalRequested",
        "ApprovalReminded",
        "ApprovalReminded",
        "ApprovalEscalated",
        "OrderCancelled",
    ]
    assert [d["reason"] for d in data(stack, order_id, "OrderCancelled")] == ["approval_timeout"]
    assert get_order(stack, order_id, "silent@example.com").status == 404
    assert not timers_left(stack), "fired one-time timers are deleted after completion"


def test_every_event_and_timer_delivered_twice_sends_nothing_twice(
    make_stack: StackFactory,
) -> None:
    stack = make_stack(
        approval_window_seconds=8, decision_margin_seconds=1, reminder_points="15,40"
    )
    order_id = place_order(stack, "twice-reminded@example.com")
    [asked] = wait_until(
        lambda: approver_messages(stack, order_id, "backup approver"),
        count=1,
        timeout=20,
        what="the backup approver's message",
    )
    follow(send(stack), decision_link(asked.body, "approve"))
    wait_for_email(stack, order_id, "how was")
    stack.wait_until_idle()
    first_run = stack.tap.for_order(order_id)
    before_approver = len(approver_messages(stack, order_id, ""))
    before_emails = len(customer_emails(stack, order_id))
    fired = [d for d in stack.schedules.delivered if d.name.endswith(("-1", "-2"))]
    assert len(fired) == 2

    # Given every event of the journey and every timer's message delivered a second time
    put_again(stack.client("events"), stack.settings.bus_name, first_run)
    sqs = stack.client("sqs")
    for delivery in fired:
        queue = sqs.get_queue_url(QueueName=delivery.target_arn.rsplit(":", 1)[-1])["QueueUrl"]
        sqs.send_message(QueueUrl=queue, MessageBody=delivery.input)
    stack.wait_until_idle()

    # Then no second reminder, backup message, email or decision
    assert len(approver_messages(stack, order_id, "")) == before_approver == 4
    assert len(customer_emails(stack, order_id)) == before_emails
    second_run = stack.tap.for_order(order_id)[len(first_run) :]
    assert sorted(e.detail_type for e in second_run) == sorted(e.detail_type for e in first_run)
    assert len(data(stack, order_id, "OrderApproved")) == 2  # the first, and our redelivery
    assert [d["decided_by"] for d in data(stack, order_id, "OrderApproved")] == ["backup"] * 2
