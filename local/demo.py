"""``shop demo``: four orders, four endings, on a freshly started local stack.

One order is approved, one rejected (both by following the links in the owner's message
like a browser: GET the page, POST its form), one left to time out and one cancelled by its
customer (``POST /orders/{id}/cancel``) before the owner decides. The demo waits for every
workflow to end and prints each order's timeline as its customer reads it from the orders API
(``GET /orders/{id}/timeline``); it succeeds only if all four ended as their decision implies
and each timeline shows that ending.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from local import http_client
from local.customers import bearer, new_password
from local.links import decision_link, follow
from local.server import LocalServer
from local.timeline import timeline_lines

CUSTOMER_CANCELS = "customer cancels"
CUSTOMERS = (
    ("Ada Lovelace", "ada@example.com", "approve"),
    ("Grace Hopper", "grace@example.com", "reject"),
    ("Alan Turing", "alan@example.com", None),
    ("Barbara Liskov", "barbara@example.com", CUSTOMER_CANCELS),
)
# The spec's sample order, priced by the orders service from the local sample catalogue.
ITEMS = [{"sku": "shoes", "quantity": 5}, {"sku": "socks", "quantity": 2}]
EXPECTED = {
    "approve": ("feedback_requested", ["received", "shipped", "how was"]),
    "reject": ("deleted", ["received", "cancelled"]),
    None: ("deleted", ["received", "cancelled"]),
    CUSTOMER_CANCELS: ("deleted", ["received", "cancelled"]),
}
# The step each order's timeline must end its journey with.
LAST_STEP = {
    "approve": "feedback_requested",
    "reject": "cancelled",
    None: "cancelled",
    CUSTOMER_CANCELS: "cancelled",
}


@dataclass
class DemoOrder:
    customer: str
    email: str
    decision: str | None
    order_id: str = ""
    placed: float = 0.0
    auth: dict[str, str] | None = None  # the customer's Authorization header


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.25)


def run(server: LocalServer, out: TextIO) -> bool:
    assert server.stack is not None
    stack, base = server.stack, server.url
    orders = [DemoOrder(name, email, decision) for name, email, decision in CUSTOMERS]

    customers = stack.customers()
    for order in orders:
        # Each customer signs in (moto's Cognito) and orders with their id token.
        password = new_password()
        customers.ensure(order.email, order.customer, password)
        order.auth = bearer(customers.id_token(order.email, password))
        order.placed = time.time()
        response = http_client.post_json(f"{base}/orders", {"items": ITEMS}, order.auth)
        if response.status != 201:
            raise RuntimeError(f"placing an order failed: {response.status} {response.text}")
        order.order_id = response.json()["order_id"]
        print(f"placed {order.order_id} for {order.customer}", file=out)

    def owner_text(order_id: str) -> str | None:
        for item in http_client.send("GET", f"{base}/mailbox.json").json():
            if item["kind"] == "owner" and order_id in item["text"]:
                return str(item["text"])
        return None

    for order in orders:
        if order.decision is None:
            print(f"leaving {order.order_id} unanswered: it will time out", file=out)
            continue
        if order.decision == CUSTOMER_CANCELS:
            url = f"{base}/orders/{order.order_id}/cancel"
            answer = http_client.send("POST", url, order.auth)
            outcome = answer.json().get("outcome") if answer.body else ""
            print(
                f"{order.customer} cancelled {order.order_id} (HTTP {answer.status}, {outcome})",
                file=out,
            )
            continue
        _wait(lambda o=order: owner_text(o.order_id) is not None, 30, "the owner's message")  # type: ignore[misc]
        link = decision_link(owner_text(order.order_id) or "", order.decision)
        page, result = follow(http_client.send, link)
        status = result.status if result else page.status
        print(
            f"owner chose {order.decision} for {order.order_id} (HTTP {page.status}, {status})",
            file=out,
        )

    window = int(stack.setting("approval_window_seconds")) + int(
        stack.setting("feedback_delay_seconds")
    )
    _wait(
        lambda: all(stack.execution_status(o.order_id) != "RUNNING" for o in orders),
        window + 60,
        "every workflow to end",
    )
    _wait(lambda: _all_emails_in(server, orders), 30, "the last emails")
    stack.wait_until_idle()

    ok = True
    for order in orders:
        ok &= _print_timeline(server, order, stack.execution_status(order.order_id), out)
    print("\nall four orders ended as expected" if ok else "\nSOMETHING ENDED WRONG", file=out)
    return ok


def _emails_for(server: LocalServer, order: DemoOrder) -> list[str]:
    assert server.stack is not None
    return [
        m.subject
        for m in reversed(server.stack.mailbox.emails_to(order.email))
        if order.order_id in m.subject
    ]


def _all_emails_in(server: LocalServer, orders: list[DemoOrder]) -> bool:
    return all(len(_emails_for(server, o)) >= len(EXPECTED[o.decision][1]) for o in orders)


def _final_state(server: LocalServer, order: DemoOrder) -> str:
    response = http_client.send("GET", f"{server.url}/orders/{order.order_id}", order.auth)
    if response.status == 404:
        return "deleted"
    return str(response.json_status())


def _print_timeline(server: LocalServer, order: DemoOrder, execution: str, out: TextIO) -> bool:
    response = http_client.send("GET", f"{server.url}/orders/{order.order_id}/timeline", order.auth)
    body = response.json() if response.status == 200 else {"steps": []}
    state = _final_state(server, order)
    expected_state, expected_mail = EXPECTED[order.decision]
    subjects = [s.lower() for s in _emails_for(server, order)]
    mail_ok = len(subjects) == len(expected_mail) and all(
        word in subject for word, subject in zip(expected_mail, subjects, strict=True)
    )
    steps = [step["step"] for step in body["steps"]]
    timeline_ok = LAST_STEP[order.decision] in steps
    ok = state == expected_state and execution == "SUCCEEDED" and mail_ok and timeline_ok
    label = order.decision or "no answer"
    print(f"\n{order.order_id}  {order.customer}  ({label})", file=out)
    if response.status != 200:
        print(f"  timeline: HTTP {response.status}", file=out)
    else:
        placed = datetime.fromtimestamp(order.placed, tz=UTC)
        for line in timeline_lines(body, since=placed):
            print(f"  {line}", file=out)
    verdict = "as expected" if ok else f"EXPECTED {expected_state} with {expected_mail}"
    print(f"  final: order {state}, workflow {execution.lower()} — {verdict}", file=out)
    return ok
