"""The local stack driven only through HTTP: the orders API, the owner's links, the mailbox.

Given `shop local` running (moto in server mode, handlers behind emulated event sources),
when a person places orders and the owner clicks (or does not), then the emails, pages and
order states are what they would see on AWS.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urljoin

import pytest

from events.models import OrderApproved, OrderApprovedData, utc_now
from local import cli, http_client
from local.links import decision_link, follow, forms_in, links_in
from local.server import LocalServer
from tests.e2e.conftest import (
    POISON_DETAIL,
    FaultPlan,
    aws_client,
    customer,
    emails_for,
    get_order,
    owner_text,
    place,
)
from tests.support.events import eventbridge_event
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(120)


def test_approve_ships_and_asks_for_feedback(server: LocalServer) -> None:
    email = "e2e-approve@example.com"
    order_id = place(server, email)
    page, result = follow(http_client.send, decision_link(owner_text(server, order_id), "approve"))
    assert page.status == 200
    assert "Enamel mug" in page.text
    assert result is not None
    assert result.status == 200

    wait_until(lambda: emails_for(server, order_id, "how was"), what="the feedback email")
    assert len(emails_for(server, order_id)) == 3
    wait_until(lambda: get_order(server, order_id, email).json_status() == "feedback_requested")


def test_reject_deletes_the_order_and_tells_the_customer(server: LocalServer) -> None:
    email = "e2e-reject@example.com"
    order_id = place(server, email)
    _, result = follow(http_client.send, decision_link(owner_text(server, order_id), "reject"))
    assert result is not None
    assert result.status == 200

    cancelled = wait_until(lambda: emails_for(server, order_id, "cancelled"), what="cancellation")
    assert "could not fulfil" in (cancelled[0]["html"] or cancelled[0]["text"])
    wait_until(
        lambda: get_order(server, order_id, email).status == 404,
        what="the order to be deleted",
    )
    assert emails_for(server, order_id, "shipped") == []


def test_timeout_cancels_and_a_late_click_says_so(server: LocalServer) -> None:
    email = "e2e-timeout@example.com"
    order_id = place(server, email)
    approve = decision_link(owner_text(server, order_id), "approve")

    cancelled = wait_until(
        lambda: emails_for(server, order_id, "cancelled"), timeout=40, what="the timeout"
    )
    assert "did not confirm your order in time" in (cancelled[0]["html"] or cancelled[0]["text"])
    wait_until(
        lambda: get_order(server, order_id, email).status == 404,
        what="the order to be deleted",
    )

    page, result = follow(http_client.send, approve)
    assert result is None
    assert "nobody answered" in page.text.lower()


def test_duplicate_post_records_one_decision(server: LocalServer) -> None:
    order_id = place(server, "e2e-double@example.com")
    link = decision_link(owner_text(server, order_id), "approve")
    page = http_client.send("GET", link)
    form_post = follow(http_client.send, link)[1]
    assert form_post is not None
    assert form_post.status == 200
    # The same POST replayed (a double submit, a browser retry) changes nothing.
    replay = http_client.send(
        "POST",
        link,
        {"content-type": "application/x-www-form-urlencoded"},
        b"",
    )
    assert replay.status < 500
    assert page.status == 200

    wait_until(lambda: emails_for(server, order_id, "shipped"), what="the shipment email")
    assert server.stack is not None
    server.stack.wait_until_idle()
    assert len(server.stack.tap.for_order(order_id, "OrderApproved")) == 1
    assert len(emails_for(server, order_id, "shipped")) == 1


def test_a_handler_that_fails_twice_is_retried_and_sends_one_email(
    server: LocalServer, faults: FaultPlan
) -> None:
    faults.fail("notifications/email", "e2e-flaky@example.com", times=2)
    order_id = place(server, "e2e-flaky@example.com")

    wait_until(lambda: emails_for(server, order_id, "received"), what="the retried email")
    assert server.stack is not None
    server.stack.wait_until_idle()
    assert len(emails_for(server, order_id, "received")) == 1
    assert faults.invocations[("notifications/email", "e2e-flaky@example.com")] == 3


def test_a_poison_message_lands_in_the_dlq_without_blocking_others(server: LocalServer) -> None:
    events = aws_client(server, "events")
    events.put_events(
        Entries=[
            {
                "EventBusName": "shop",
                "Source": "shop.orders",
                "DetailType": "OrderPlaced",
                "Detail": json.dumps(POISON_DETAIL),
            }
        ]
    )
    order_id = place(server, "e2e-after-poison@example.com")
    wait_until(lambda: emails_for(server, order_id, "received"), what="the good order's email")

    sqs = aws_client(server, "sqs")
    assert server.stack is not None
    dlq = server.stack.provisioned["notifications"].dlq_urls["customer-events"]

    def poisoned() -> list[dict[str, str]]:
        # The DLQ only receives it once the source queue's maxReceiveCount is used up.
        messages: list[dict[str, str]] = sqs.receive_message(
            QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages", [])
        return messages

    messages = wait_until(poisoned, timeout=60, what="the poison message in the DLQ")
    assert json.loads(messages[0]["Body"])["detail"]["data"] == {"order_id": "x"}


def test_an_approval_forged_by_another_source_ends_in_the_dlq_and_ships_nothing(
    server: LocalServer,
) -> None:
    # Given an order waiting for the owner
    order_id = place(server, "e2e-forged@example.com")
    owner_text(server, order_id)
    assert server.stack is not None
    workflow = server.stack.provisioned["workflow"]
    forged = OrderApproved.create(OrderApprovedData(order_id=order_id, decided_at=utc_now()))

    # When an OrderApproved put by the orders service (not approvals) reaches the workflow
    aws_client(server, "sqs").send_message(
        QueueUrl=workflow.queue_urls["decisions"],
        MessageBody=json.dumps(eventbridge_event(forged, source="shop.orders")),
    )

    # Then it is refused into the DLQ, and the order still times out: nothing ships
    def refused() -> list[dict[str, str]]:
        messages: list[dict[str, str]] = (
            aws_client(server, "sqs")
            .receive_message(
                QueueUrl=workflow.dlq_urls["decisions"], MaxNumberOfMessages=10, VisibilityTimeout=0
            )
            .get("Messages", [])
        )
        return [m for m in messages if order_id in m["Body"]]

    wait_until(refused, timeout=60, what="the forged approval in the DLQ")
    wait_until(lambda: emails_for(server, order_id, "cancelled"), timeout=40, what="the timeout")
    assert emails_for(server, order_id, "shipped") == []


def test_a_decision_in_the_last_second_is_refused_never_approved_then_cancelled(
    server: LocalServer,
) -> None:
    # Given the owner opened the approve link while the window was open
    order_id = place(server, "e2e-last-second@example.com")
    approve = decision_link(owner_text(server, order_id), "approve")
    opened = http_client.send("GET", approve)
    [form] = [f for f in forms_in(opened.text) if f.method.lower() == "post"]
    assert server.stack is not None
    [requested] = server.stack.tap.for_order(order_id, "ApprovalRequested")
    workflow_deadline = datetime.fromisoformat(requested.detail["data"]["approval_deadline"])

    # When they confirm one second before the workflow's timer fires
    wait_until(
        lambda: utc_now() >= workflow_deadline - timedelta(seconds=1),
        what="the last second of the approval window",
    )
    confirmed = http_client.send(
        "POST",
        urljoin(approve, form.action),
        {"content-type": "application/x-www-form-urlencoded"},
        urlencode(form.fields).encode(),
    )

    # Then the page says the window has closed, and the order is cancelled, never shipped
    assert confirmed.status == 409
    assert "The approval window has closed" in confirmed.text
    assert "The approval window has closed" in http_client.send("GET", approve).text
    wait_until(lambda: emails_for(server, order_id, "cancelled"), timeout=40, what="the timeout")
    assert server.stack.tap.for_order(order_id, "OrderApproved") == []
    assert emails_for(server, order_id, "shipped") == []


def test_shop_keys_rotate_keeps_open_links_working(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    order_id = place(server, "e2e-rotation@example.com")
    approve = decision_link(owner_text(server, order_id), "approve")
    assert server.moto is not None

    rotated = cli.main(["keys", "rotate", "--moto-url", server.moto.url, "--prefix", "shop-e2e"])

    assert rotated == 0
    assert "still work" in capsys.readouterr().out
    checked = http_client.send("HEAD", approve)
    assert checked.status == 200
    assert checked.body == b""
    _, result = follow(http_client.send, approve)
    assert result is not None
    assert result.status == 200
    wait_until(lambda: emails_for(server, order_id, "shipped"), what="the shipment email")


def test_a_bounced_address_is_recorded_failed_and_not_retried(server: LocalServer) -> None:
    # Given SES's simulator address that always bounces
    order_id = place(server, "bounce@simulator.amazonses.com")
    assert server.stack is not None
    notifications = server.stack.provisioned["notifications"]
    dynamodb = aws_client(server, "dynamodb")

    def ledger_entry() -> dict[str, Any] | None:
        item: dict[str, Any] | None = dynamodb.get_item(
            TableName=notifications.tables["sent-emails"],
            Key={"order_id": {"S": order_id}, "kind": {"S": "order_received"}},
            ConsistentRead=True,
        ).get("Item")
        return item if item and item["status"]["S"] == "failed" else None

    # Then the ledger records the bounce, one email went out, and nothing waits for a retry
    entry = wait_until(ledger_entry, what="the bounce in the ledger")
    assert entry is not None
    assert entry["reason"]["S"] == "bounced: Permanent/General"
    server.stack.wait_until_idle()
    assert len(emails_for(server, order_id, "received")) == 1
    dlq = aws_client(server, "sqs").receive_message(
        QueueUrl=notifications.dlq_urls["customer-events"], VisibilityTimeout=0
    )
    assert order_id not in json.dumps(dlq.get("Messages", []))


def test_one_click_unsubscribe_stops_the_next_feedback_request(server: LocalServer) -> None:
    # Given a customer whose first order asked for feedback, with an unsubscribe link
    first = place(server, "e2e-unsubscribe@example.com")
    follow(http_client.send, decision_link(owner_text(server, first), "approve"))
    [feedback] = wait_until(
        lambda: emails_for(server, first, "how was"), timeout=40, what="the feedback request"
    )
    [link] = [u for u in links_in(feedback["html"]) if "/unsubscribe?" in u]

    # When their mail client sends the one-click POST
    done = http_client.send(
        "POST",
        link.replace("&amp;", "&"),
        {"content-type": "application/x-www-form-urlencoded"},
        b"List-Unsubscribe=One-Click",
    )
    assert done.status == 200

    # Then their next order ends its journey without a feedback request
    second = place(server, "e2e-unsubscribe@example.com")
    follow(http_client.send, decision_link(owner_text(server, second), "approve"))
    wait_until(
        lambda: (
            get_order(server, second, "e2e-unsubscribe@example.com").json_status()
            == "feedback_requested"
        ),
        timeout=40,
        what="the second order's journey",
    )
    assert server.stack is not None
    server.stack.wait_until_idle()
    assert emails_for(server, second, "how was") == []
    assert len(emails_for(server, second, "shipped")) == 1


def test_shop_catalogue_put_and_list_manage_what_the_api_prices(
    server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server.moto is not None
    where = ["--endpoint-url", server.moto.url, "--prefix", server.settings.prefix]

    refused = cli.main(
        [
            "catalogue",
            "put",
            "kite",
            "--name",
            "Kite",
            "--price",
            "1.50",
            "--currency",
            "JPY",
            *where,
        ]
    )
    assert refused == 2
    assert "JPY" in capsys.readouterr().err
    put = cli.main(
        [
            "catalogue",
            "put",
            "kite",
            "--name",
            "Box  kite",
            "--price",
            "24.5",
            "--currency",
            "EUR",
            *where,
        ]
    )
    assert put == 0
    assert cli.main(["catalogue", "list", *where]) == 0
    listed = capsys.readouterr().out
    assert "kite" in listed
    assert "24.50 EUR  Box kite" in listed
    assert "shoes" in listed

    placed = http_client.post_json(
        f"{server.url}/orders",
        {"items": [{"sku": "kite", "quantity": 2}]},
        customer(server, "e2e-catalogue@example.com"),
    )
    assert placed.status == 201
    assert placed.json()["items"][0]["name"] == "Box kite"
    assert (placed.json()["total"], placed.json()["currency"]) == ("49.00", "EUR")
