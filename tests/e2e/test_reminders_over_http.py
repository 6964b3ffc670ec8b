"""Reminders and escalation on the local stack, seen as the owner and the backup approver see
them: in the mailbox (``/mailbox.json``), with links that work over HTTP.

Given `shop local` with a short approval window and reminders at 20 % and 50 % of it, when
the owner answers a reminder, the backup approver answers the escalation, or nobody answers,
then each gets what that path implies, and delivering everything twice sends nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from local import http_client
from local.links import decision_link, follow
from local.server import LocalServer
from local.settings import LocalStackSettings
from tests.e2e.conftest import aws_client, emails_for, get_order, mailbox, place
from tests.support.events import put_again
from tests.support.polling import wait_until
from tests.support.schemas import assert_matches_schema

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    settings = LocalStackSettings(
        prefix="shop-e2e-reminders",
        port=0,
        moto_port=0,
        approval_window_seconds=8,
        decision_margin_seconds=1,
        reminder_points="20,50",
        feedback_delay_seconds=1,
        visibility_timeout_seconds=1,
    )
    with LocalServer(settings) as running:
        yield running
        assert running.stack is not None
        for event in running.stack.tap.collect():
            assert_matches_schema(event.detail_type, event.detail)


def sent_to(server: LocalServer, order_id: str, reader: str) -> list[dict[str, Any]]:
    """What ``reader`` ("store owner", "backup approver") was sent about the order, oldest
    first."""
    return [
        m
        for m in reversed(mailbox(server))
        if m["kind"] == "owner" and order_id in m["text"] and any(reader in t for t in m["to"])
    ]


def reminders(server: LocalServer, order_id: str) -> list[dict[str, Any]]:
    return [m for m in sent_to(server, order_id, "store owner") if "Reminder" in m["subject"]]


def events(server: LocalServer, order_id: str, detail_type: str = "") -> list[dict[str, Any]]:
    assert server.stack is not None
    return [
        e.detail["data"]
        for e in server.stack.tap.for_order(order_id)
        if not detail_type or e.detail_type == detail_type
    ]


def escalation(server: LocalServer, order_id: str) -> dict[str, Any]:
    [asked] = wait_until(
        lambda: sent_to(server, order_id, "backup approver"),
        count=1,
        timeout=20,
        what="the backup approver's message",
    )
    return asked


def test_the_owner_answers_a_reminder_and_no_more_come(server: LocalServer) -> None:
    email = "e2e-reminded@example.com"
    order_id = place(server, email)

    [reminder] = wait_until(
        lambda: reminders(server, order_id), count=1, timeout=20, what="the first reminder"
    )
    assert "Reminder 1 of 2" in reminder["text"]
    assert "Time left: " in reminder["text"]
    _, result = follow(http_client.send, decision_link(reminder["text"], "approve"))
    assert result is not None
    assert result.status == 200

    wait_until(lambda: emails_for(server, order_id, "how was"), what="the feedback email")
    assert server.stack is not None
    server.stack.wait_until_idle()
    assert len(reminders(server, order_id)) == 1
    assert sent_to(server, order_id, "backup approver") == []
    assert [d["reminder"] for d in events(server, order_id, "ApprovalReminded")] == [1]
    assert [d["decided_by"] for d in events(server, order_id, "OrderApproved")] == ["owner"]
    assert len(emails_for(server, order_id)) == 3


def test_the_backup_approver_answers_the_escalation(server: LocalServer) -> None:
    email = "e2e-escalated@example.com"
    order_id = place(server, email)

    asked = escalation(server, order_id)
    assert "backup approver" in asked["subject"]
    page, result = follow(http_client.send, decision_link(asked["text"], "approve"))
    assert page.status == 200
    assert "Enamel mug" in page.text
    assert result is not None
    assert result.status == 200

    wait_until(lambda: emails_for(server, order_id, "shipped"), what="the shipment email")
    assert len(reminders(server, order_id)) == 2
    assert [d["escalated"] for d in events(server, order_id, "ApprovalReminded")] == [False, True]
    assert len(events(server, order_id, "ApprovalEscalated")) == 1
    assert [d["decided_by"] for d in events(server, order_id, "OrderApproved")] == ["backup"]
    # The owner's link now says who decided.
    page, late = follow(
        http_client.send, decision_link(reminders(server, order_id)[0]["text"], "reject")
    )
    assert late is None
    assert "approved by the backup approver" in page.text


def test_nobody_answers_even_after_reminders(server: LocalServer) -> None:
    email = "e2e-silent@example.com"
    order_id = place(server, email)

    cancelled = wait_until(
        lambda: emails_for(server, order_id, "cancelled"), timeout=40, what="the timeout"
    )
    assert "did not confirm your order in time" in (cancelled[0]["html"] or cancelled[0]["text"])
    wait_until(lambda: get_order(server, order_id, email).status == 404, what="the deletion")
    assert len(reminders(server, order_id)) == 2
    assert len(sent_to(server, order_id, "backup approver")) == 1
    assert [d["reason"] for d in events(server, order_id, "OrderCancelled")] == ["approval_timeout"]
    assert len(events(server, order_id, "ApprovalEscalated")) == 1


def test_every_event_and_timer_of_an_escalated_order_delivered_twice(
    server: LocalServer,
) -> None:
    email = "e2e-reminded-twice@example.com"
    order_id = place(server, email)
    asked = escalation(server, order_id)
    _, result = follow(http_client.send, decision_link(asked["text"], "reject"))
    assert result is not None
    wait_until(lambda: emails_for(server, order_id, "cancelled"), what="the cancellation")
    assert server.stack is not None
    stack = server.stack
    stack.wait_until_idle()
    first_run = stack.tap.for_order(order_id)
    messages = len(sent_to(server, order_id, ""))
    emails = len(emails_for(server, order_id))
    request = sent_to(server, order_id, "store owner")[0]["text"]
    fired = [
        d for d in stack.schedules.delivered if f"/{json.loads(d.input)['approval_id']}?" in request
    ]
    assert len(fired) == 2

    # Given every event and every timer message delivered again, through moto's own endpoint
    bus, sqs = aws_client(server, "events"), aws_client(server, "sqs")
    put_again(bus, stack.settings.bus_name, first_run)
    for delivery in fired:
        queue = sqs.get_queue_url(QueueName=delivery.target_arn.rsplit(":", 1)[-1])["QueueUrl"]
        sqs.send_message(QueueUrl=queue, MessageBody=delivery.input)
    stack.wait_until_idle()

    # Then no second reminder, backup message, email or decision
    assert len(sent_to(server, order_id, "")) == messages == 4
    assert len(emails_for(server, order_id)) == emails == 2
    again = stack.tap.for_order(order_id)[len(first_run) :]
    assert sorted(e.detail_type for e in again) == sorted(e.detail_type for e in first_run)
