"""A customer cancels their own order on the local stack, over real HTTP: the orders API (and
`shop orders cancel`), the owner's links, the mailbox.

Given an order placed by a signed-in customer, when they cancel before the owner decides,
after the owner approved, or while the owner approves, then exactly one of them wins and the
customer gets the one email that outcome implies.
"""

from __future__ import annotations

import json
import threading

import pytest

from local import cli, http_client
from local.http_events import HttpResponse
from local.links import decision_link, follow
from local.server import LocalServer
from tests.e2e.conftest import (
    FaultPlan,
    aws_client,
    customer,
    emails_for,
    get_order,
    mailbox,
    owner_text,
    place,
)
from tests.support.customers import PASSWORD
from tests.support.events import put_again
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(120)


def cancel(server: LocalServer, order_id: str, email: str) -> HttpResponse:
    return http_client.send(
        "POST", f"{server.url}/orders/{order_id}/cancel", customer(server, email)
    )


def tapped(server: LocalServer, order_id: str, detail_type: str | None = None) -> list[str]:
    assert server.stack is not None
    return [
        e.detail["metadata"]["event_id"] for e in server.stack.tap.for_order(order_id, detail_type)
    ]


def test_shop_orders_cancel_before_a_decision_cancels_for_the_customer(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server.moto is not None
    monkeypatch.setenv("SHOP_LOCAL_PREFIX", server.settings.prefix)
    email = "e2e-cancel-cli@example.com"
    order_id = place(server, email)
    owner = owner_text(server, order_id)

    # When the customer cancels with the command line
    code = cli.main(
        [
            "orders",
            "cancel",
            order_id,
            "--email",
            email,
            "--password",
            PASSWORD,
            "--url",
            server.url,
            "--moto-url",
            server.moto.url,
        ]
    )

    # Then it answers cancelled, the customer is told in their own words and the order goes
    assert code == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "cancelled"
    [cancelled] = wait_until(lambda: emails_for(server, order_id, "cancelled"), what="the email")
    assert "As you asked, we cancelled your order" in (cancelled["html"] or cancelled["text"])
    wait_until(lambda: get_order(server, order_id, email).status == 404, what="the deletion")
    # and the owner's link shows it; posting the form anyway decides nothing
    page, form = follow(http_client.send, decision_link(owner, "approve"))
    assert form is None
    assert "cancelled by the customer at" in page.text
    assert tapped(server, order_id, "OrderApproved") == []
    assert emails_for(server, order_id, "shipped") == []


def test_a_cancel_before_the_approval_is_requested_wins_and_the_owner_is_never_asked(
    server: LocalServer, faults: FaultPlan
) -> None:
    # Given the workflow's token relay is slow (it fails twice on this customer's order), so
    # the cancellation reaches the approvals service before ApprovalRequested does
    email = "e2e-cancel-first@example.com"
    faults.fail("workflow/relay-token", email, times=2)
    order_id = place(server, email)

    answer = cancel(server, order_id, email)

    # Then the cancel wins, the workflow still ends cancelled for the customer, and the owner
    # never gets a message about the order
    assert (answer.status, answer.json()["outcome"]) == (200, "cancelled"), answer.text
    [cancelled] = wait_until(lambda: emails_for(server, order_id, "cancelled"), what="the email")
    assert "As you asked" in (cancelled["html"] or cancelled["text"])
    assert server.stack is not None
    stack = server.stack
    wait_until(lambda: stack.execution_status(order_id) == "SUCCEEDED", what="the workflow's end")
    stack.wait_until_idle()
    assert faults.invocations[("workflow/relay-token", email)] >= 3
    assert [m for m in mailbox(server) if m["kind"] == "owner" and order_id in m["text"]] == []
    [reason] = [e.detail["data"]["reason"] for e in stack.tap.for_order(order_id, "OrderCancelled")]
    assert reason == "customer_cancelled"
    # the same withdrawal, published when the cancel came and again once the token was kept
    assert len(set(tapped(server, order_id, "ApprovalWithdrawn"))) == 1
    assert len(tapped(server, order_id, "ApprovalWithdrawn")) == 2


def test_a_cancel_after_the_approval_is_refused_with_when(server: LocalServer) -> None:
    email = "e2e-cancel-late@example.com"
    order_id = place(server, email)
    _, approved = follow(http_client.send, decision_link(owner_text(server, order_id), "approve"))
    assert approved is not None
    assert approved.status == 200

    answer = cancel(server, order_id, email)

    assert answer.status == 409, answer.text
    assert answer.json()["because"] == "approved"
    assert "already approved at" in answer.json()["message"]
    wait_until(lambda: emails_for(server, order_id, "shipped"), what="the shipment email")
    assert emails_for(server, order_id, "cancelled") == []
    assert cancel(server, order_id, "e2e-cancel-stranger@example.com").status == 404


def test_approve_and_cancel_at_once_end_one_way_with_one_email(server: LocalServer) -> None:
    email = "e2e-cancel-race@example.com"
    order_id = place(server, email)
    approve = decision_link(owner_text(server, order_id), "approve")
    answers: dict[str, HttpResponse | None] = {}
    threads = [
        threading.Thread(target=lambda: answers.update(owner=follow(http_client.send, approve)[1])),
        threading.Thread(target=lambda: answers.update(customer=cancel(server, order_id, email))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    customer_answer = answers["customer"]
    assert customer_answer is not None
    ending = "cancelled" if customer_answer.status == 200 else "shipped"
    assert customer_answer.status in (200, 409), customer_answer.text
    wait_until(lambda: emails_for(server, order_id, ending), what=f"the {ending} email")
    assert server.stack is not None
    server.stack.wait_until_idle()
    assert (
        len(tapped(server, order_id, "OrderApproved"))
        + len(set(tapped(server, order_id, "ApprovalWithdrawn")))
        == 1
    )
    other = "shipped" if ending == "cancelled" else "cancelled"
    assert emails_for(server, order_id, other) == []
    assert len(emails_for(server, order_id, ending)) == 1


def test_a_cancelled_journey_delivered_twice_sends_nothing_more(server: LocalServer) -> None:
    assert server.stack is not None
    email = "e2e-cancel-twice@example.com"
    order_id = place(server, email)
    owner_text(server, order_id)
    assert cancel(server, order_id, email).status == 200
    wait_until(lambda: emails_for(server, order_id, "cancelled"), what="the cancellation email")
    stack = server.stack
    wait_until(lambda: stack.execution_status(order_id) == "SUCCEEDED", what="the workflow's end")
    stack.wait_until_idle()
    first = server.stack.tap.for_order(order_id)

    put_again(aws_client(server, "events"), server.stack.settings.bus_name, first)
    server.stack.wait_until_idle()

    assert len(emails_for(server, order_id)) == 2  # received, cancelled
    owner_messages = [
        m
        for m in http_client.send("GET", f"{server.url}/mailbox.json").json()
        if m["kind"] == "owner" and order_id in m["text"]
    ]
    assert len(owner_messages) == 1
    assert set(tapped(server, order_id)) == {e.detail["metadata"]["event_id"] for e in first}
    assert tapped(server, order_id, "OrderApproved") == []
