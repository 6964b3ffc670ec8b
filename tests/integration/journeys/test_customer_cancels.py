"""A customer cancels their own order: one API call answered with the outcome, raced against
the owner's decision through the approvals record, the one arbiter.

Given an order placed through the orders API, when its customer cancels before the owner
decides, after the owner approved, or at the same moment as the owner, then exactly one of
them wins, the customer gets the one email that outcome implies and the workflow ends.
"""

from __future__ import annotations

import threading

import pytest

from local.http_events import HttpResponse
from local.links import decision_link, follow
from local.queues import queue_depth
from local.stack import LocalStack
from tests.integration.journeys.conftest import StackFactory, get_order, place_order, send
from tests.integration.journeys.test_order_journeys import (
    emails,
    execution_status,
    owner_message,
    wait_for_email,
)
from tests.support.customers import signed_in
from tests.support.events import put_again

pytestmark = pytest.mark.timeout(120)


def cancel(stack: LocalStack, order_id: str, email: str) -> HttpResponse:
    """``email``'s customer asks to cancel ``order_id``."""
    return stack.router.request(
        "POST", f"/orders/{order_id}/cancel", headers=signed_in(stack.customers(), email)
    )


def redeliver_everything(stack: LocalStack, order_id: str) -> None:
    put_again(stack.client("events"), stack.settings.bus_name, stack.tap.for_order(order_id))
    stack.wait_until_idle()


def test_a_customer_cancels_before_the_owner_decides(make_stack: StackFactory) -> None:
    stack = make_stack()
    email = "cancel.early@example.com"
    order_id = place_order(stack, email)
    message = owner_message(stack, order_id)

    # When the customer cancels while the owner has not answered
    answer = cancel(stack, order_id, email)

    # Then the call says it worked, the workflow cancels the order for the customer's reason
    # and the customer's email says it was their wish
    assert answer.status == 200, answer.text
    assert answer.json()["outcome"] == "cancelled"
    cancelled = wait_for_email(stack, order_id, "cancelled")
    assert "As you asked, we cancelled your order" in cancelled.body
    assert "could not fulfil" not in cancelled.body
    assert execution_status(stack, order_id) == "SUCCEEDED"
    stack.wait_until_idle()
    assert get_order(stack, order_id, email).status == 404
    [event] = stack.tap.for_order(order_id, "OrderCancelled")
    assert (event.detail["data"]["reason"], event.detail["data"]["cancelled_by"]) == (
        "customer_cancelled",
        "customer",
    )
    # and the owner's link shows who cancelled it; confirming it decides nothing
    page, form = follow(send(stack), decision_link(message.body, "approve"))
    assert form is None, "a cancelled approval offers no form"
    assert "cancelled by the customer at" in page.text
    assert stack.tap.for_order(order_id, "OrderApproved") == []
    # and asking again answers the same, without asking anyone again
    again = cancel(stack, order_id, email)
    assert (again.status, again.json()["outcome"]) == (200, "cancelled")
    assert len(stack.tap.for_order(order_id, "OrderCancellationRequested")) == 1


def test_a_cancel_after_the_approval_is_refused_and_the_order_ships(
    make_stack: StackFactory,
) -> None:
    stack = make_stack()
    email = "cancel.late@example.com"
    order_id = place_order(stack, email)
    message = owner_message(stack, order_id)
    _, approved = follow(send(stack), decision_link(message.body, "approve"))
    assert approved is not None
    assert approved.status == 200

    answer = cancel(stack, order_id, email)

    assert answer.status == 409, answer.text
    body = answer.json()
    assert (body["outcome"], body["because"]) == ("refused", "approved")
    assert "already approved at" in body["message"]
    wait_for_email(stack, order_id, "shipped")
    stack.wait_until_idle()
    assert not [m for m in emails(stack, order_id) if "cancelled" in m.subject.lower()]
    assert stack.tap.for_order(order_id, "ApprovalWithdrawn") == []
    assert stack.tap.for_order(order_id, "OrderCancelled") == []


def test_someone_elses_order_cannot_be_cancelled(make_stack: StackFactory) -> None:
    stack = make_stack()
    order_id = place_order(stack, "owner.of.order@example.com")
    owner_message(stack, order_id)

    theirs = cancel(stack, order_id, "someone.else@example.com")
    unknown = cancel(stack, "ord_0123456789abcdef0123456789abcdef", "someone.else@example.com")

    assert (theirs.status, theirs.body) == (404, unknown.body)
    stack.wait_until_idle()
    assert stack.tap.for_order(order_id, "OrderCancellationRequested") == []
    assert get_order(stack, order_id, "owner.of.order@example.com").status == 200


def test_approve_and_cancel_racing_have_exactly_one_outcome(make_stack: StackFactory) -> None:
    stack = make_stack()
    email = "cancel.race@example.com"
    order_id = place_order(stack, email)
    message = owner_message(stack, order_id)
    approve = decision_link(message.body, "approve")
    browser = send(stack)
    page, _ = follow(browser, approve)  # the owner has the confirmation form open
    assert page.status == 200
    answers: dict[str, HttpResponse | None] = {}

    def owner() -> None:
        answers["owner"] = follow(browser, approve)[1]

    def customer() -> None:
        answers["customer"] = cancel(stack, order_id, email)

    threads = [threading.Thread(target=owner), threading.Thread(target=customer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    stack.wait_until_idle()
    approved = stack.tap.for_order(order_id, "OrderApproved")
    withdrawn = stack.tap.for_order(order_id, "ApprovalWithdrawn")
    assert len(approved) + len(withdrawn) == 1, "exactly one of them wins"
    customer_answer = answers["customer"]
    assert customer_answer is not None
    if withdrawn:
        assert customer_answer.status == 200
        wait_for_email(stack, order_id, "cancelled")
        assert answers["owner"] is None or answers["owner"].status == 409
    else:
        assert customer_answer.status == 409
        assert "already approved" in customer_answer.json()["message"]
        wait_for_email(stack, order_id, "shipped")
    assert execution_status(stack, order_id) in ("SUCCEEDED", "RUNNING")
    stack.wait_until_idle()
    outcome_emails = [
        m for m in emails(stack, order_id) if "cancelled" in m.subject or "shipped" in m.subject
    ]
    assert len(outcome_emails) == 1, [m.subject for m in outcome_emails]


def test_a_cancelled_journey_delivered_twice_changes_nothing(make_stack: StackFactory) -> None:
    stack = make_stack()
    email = "cancel.twice@example.com"
    order_id = place_order(stack, email)
    owner_message(stack, order_id)
    assert cancel(stack, order_id, email).status == 200
    wait_for_email(stack, order_id, "cancelled")
    assert execution_status(stack, order_id) == "SUCCEEDED"
    stack.wait_until_idle()
    first_run = stack.tap.for_order(order_id)
    before = len(emails(stack, order_id))

    # Given every event of the journey delivered a second time
    redeliver_everything(stack, order_id)

    # Then no second email, owner message, decision or cancellation
    assert len(emails(stack, order_id)) == before == 2
    assert len([m for m in stack.mailbox.owner_messages() if order_id in m.body]) == 1
    # and nothing new was published: an answer given again carries its first event id
    second_run = stack.tap.for_order(order_id)[len(first_run) :]
    ids = {e.detail["metadata"]["event_id"] for e in first_run}
    assert {e.detail["metadata"]["event_id"] for e in second_run} == ids
    assert stack.tap.for_order(order_id, "OrderApproved") == []
    sqs = stack.client("sqs")
    assert {name: queue_depth(sqs, url) for name, url in stack.dlq_urls().items()} == dict.fromkeys(
        stack.dlq_urls(), 0
    )
