"""Every path of an order's journey through the four services and the real state machine.

Given an order placed through the orders API, when the owner approves, rejects or never
answers, then the customer gets exactly the emails that path implies, the order ends in the
state it implies and the workflow execution ends.
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


def execution_status(stack: LocalStack, order_id: str, *, timeout: float = 30.0) -> str:
    """The status the order's workflow ends in."""
    return wait_until(
        lambda: status if (status := stack.execution_status(order_id)) != "RUNNING" else "",
        timeout=timeout,
        what=f"the workflow of {order_id} to end",
    )


def owner_message(stack: LocalStack, order_id: str) -> MailItem:
    return stack.mailbox.wait_for(lambda m: m.kind == "owner" and order_id in m.body)[0]


def emails(stack: LocalStack, order_id: str) -> list[MailItem]:
    return [m for m in stack.mailbox.items() if m.kind == "email" and order_id in m.subject]


def wait_for_email(
    stack: LocalStack, order_id: str, word: str, *, timeout: float = 20.0
) -> MailItem:
    return stack.mailbox.wait_for(
        lambda m: m.kind == "email" and order_id in m.subject and word in m.subject.lower(),
        timeout=timeout,
    )[0]


def test_approved_order_is_shipped_then_feedback_requested(make_stack: StackFactory) -> None:
    stack = make_stack()
    order_id = place_order(stack, "approve@example.com")

    received = wait_for_email(stack, order_id, "received")
    assert received.to == ("approve@example.com",)
    message = owner_message(stack, order_id)
    assert "decision=approve" in message.body
    assert "decision=reject" in message.body

    page, result = follow(send(stack), decision_link(message.body, "approve"))
    assert page.status == 200
    assert "Enamel mug" in page.text
    assert result is not None
    assert result.status == 200
    assert "approved" in result.text.lower()

    shipped = wait_for_email(stack, order_id, "shipped")
    assert "Enamel mug" in (shipped.html or shipped.body)
    wait_for_email(stack, order_id, "how was", timeout=30)
    assert execution_status(stack, order_id) == "SUCCEEDED"
    stack.wait_until_idle()
    assert get_order(stack, order_id, "approve@example.com").json_status() == "feedback_requested"
    assert len(emails(stack, order_id)) == 3
    steps = [e for e in stack.tap.for_order(order_id) if e.detail_type != "EmailOutcomeRecorded"]
    assert [e.detail_type for e in steps] == [
        "OrderPlaced",
        "ApprovalRequested",
        "OrderApproved",
        "OrderShipped",
        "FeedbackDue",
    ]


def test_rejected_order_is_deleted_and_customer_told(make_stack: StackFactory) -> None:
    stack = make_stack()
    order_id = place_order(stack, "reject@example.com")
    message = owner_message(stack, order_id)

    _, result = follow(send(stack), decision_link(message.body, "reject"), comment="Out of stock")
    assert result is not None
    assert result.status == 200
    assert "rejected" in result.text.lower()

    cancelled = wait_for_email(stack, order_id, "cancelled")
    assert "could not fulfil" in cancelled.body
    assert execution_status(stack, order_id) == "SUCCEEDED"
    stack.wait_until_idle()
    assert get_order(stack, order_id, "reject@example.com").status == 404
    assert not [m for m in emails(stack, order_id) if "shipped" in m.subject.lower()]
    rejected = stack.tap.for_order(order_id, "OrderRejected")
    assert [e.detail["data"]["comment"] for e in rejected] == ["Out of stock"]
    cancelled_events = stack.tap.for_order(order_id, "OrderCancelled")
    assert [e.detail["data"]["reason"] for e in cancelled_events] == ["rejected"]


def test_unanswered_order_times_out_and_late_click_shows_cancelled(
    make_stack: StackFactory,
) -> None:
    stack = make_stack(approval_window_seconds=3, decision_margin_seconds=1)
    order_id = place_order(stack, "timeout@example.com")
    message = owner_message(stack, order_id)

    cancelled = wait_for_email(stack, order_id, "cancelled", timeout=30)
    assert "did not confirm your order in time" in cancelled.body
    assert execution_status(stack, order_id) == "SUCCEEDED"
    stack.wait_until_idle()
    assert get_order(stack, order_id, "timeout@example.com").status == 404

    page, result = follow(send(stack), decision_link(message.body, "approve"))
    assert result is None, "a cancelled approval offers no form"
    assert page.status in (200, 409, 410)
    assert "cancelled" in page.text.lower()
    assert "nobody answered" in page.text.lower()
    stack.wait_until_idle()
    assert stack.tap.for_order(order_id, "OrderApproved") == []
    assert [
        e.detail["data"]["reason"] for e in stack.tap.for_order(order_id, "OrderCancelled")
    ] == ["approval_timeout"]


def test_clicks_the_owner_might_make_record_one_decision(make_stack: StackFactory) -> None:
    stack = make_stack()
    order_id = place_order(stack, "clicks@example.com")
    message = owner_message(stack, order_id)
    approve, reject = decision_link(message.body, "approve"), decision_link(message.body, "reject")
    browser = send(stack)

    # A mail scanner opening both links decides nothing.
    assert browser("GET", approve, {}, b"").status == 200
    assert browser("GET", reject, {}, b"").status == 200
    # A tampered link is refused.
    tampered = approve.replace("decision=approve", "decision=reject")
    assert browser("GET", tampered, {}, b"").status == 403

    _, first = follow(browser, approve)
    _, replay = follow(browser, approve)  # double click: the page now shows what happened
    page, late_reject = follow(browser, reject)
    assert first is not None
    assert first.status == 200
    assert replay is None
    assert late_reject is None
    assert "already approved" in page.text.lower()

    wait_for_email(stack, order_id, "shipped")
    stack.wait_until_idle()
    assert len(stack.tap.for_order(order_id, "OrderApproved")) == 1
    assert stack.tap.for_order(order_id, "OrderRejected") == []
    assert len([m for m in emails(stack, order_id) if "shipped" in m.subject.lower()]) == 1


def test_every_event_delivered_twice_changes_nothing(make_stack: StackFactory) -> None:
    stack = make_stack()
    order_id = place_order(stack, "twice@example.com")
    message = owner_message(stack, order_id)
    follow(send(stack), decision_link(message.body, "approve"))
    wait_for_email(stack, order_id, "how was", timeout=30)
    assert execution_status(stack, order_id) == "SUCCEEDED"
    stack.wait_until_idle()
    before_emails = len(emails(stack, order_id))
    before_owner = len([m for m in stack.mailbox.owner_messages() if order_id in m.body])
    first_run = stack.tap.for_order(order_id)

    # Given every event of the journey delivered a second time, as at-least-once allows
    put_again(stack.client("events"), stack.settings.bus_name, first_run)
    stack.wait_until_idle()

    # Then no second email, execution, owner message or decision
    assert len(emails(stack, order_id)) == before_emails == 3
    assert len([m for m in stack.mailbox.owner_messages() if order_id in m.body]) == before_owner
    executions = stack.client("stepfunctions").list_executions(
        stateMachineArn=stack.state_machine_arn
    )["executions"]
    assert [e["name"] for e in executions].count(order_id) == 1
    second_run = stack.tap.for_order(order_id)[len(first_run) :]
    assert sorted(e.detail_type for e in second_run) == sorted(e.detail_type for e in first_run)
    assert get_order(stack, order_id, "twice@example.com").json_status() == "feedback_requested"
