"""An order's three journeys through the deployed shop, step by step.

A step that fails names its journey and itself ("approve journey, step 'the customer gets the
order-received email': ..."), so a broken rule, asset or layer points at the stage of the
journey it broke. Every wait has a deadline; none prints a token, link or address.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests

from local.links import decision_link, forms_in
from tests.deploy.shop import Customer, DeployedShop, Page
from tests.support.polling import wait_until
from tools.deploy_check.deployment import APPROVAL_WINDOW_SECONDS

# Cold starts included: the first call of a function imports Powertools and pydantic.
EVENT_TIMEOUT_SECONDS = 30.0


class JourneyStepFailed(AssertionError):
    pass


@dataclass(frozen=True)
class Journey:
    name: str

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        try:
            yield
        except (AssertionError, requests.RequestException, ValueError, LookupError) as failure:
            raise JourneyStepFailed(f"{self.name} journey, step {what!r}: {failure}") from None


def page_says(page: Page, status: int, heading: str) -> None:
    assert page.status == status, f"answered {page.status}, not {status}"
    assert heading in page.text, f"the page does not say {heading!r}"


def place_and_request_approval(
    journey: Journey, shop: DeployedShop, customer: Customer
) -> tuple[str, str]:
    """The journeys' common start: the order id and the owner's message."""
    with journey.step("the customer places an order through the HTTP API"):
        answer = shop.place_order(customer, quantity=2)
        assert answer.status_code == 201, f"answered {answer.status_code}: {answer.text[:200]}"
        order_id = str(answer.json()["order_id"])
    with journey.step("the customer gets the order-received email"):
        shop.mailbox.wait_for(
            customer, f"We received your order {order_id}", timeout=EVENT_TIMEOUT_SECONDS
        )
    with journey.step("the owner is asked to approve on their topic"):
        assert shop.owner_inbox is not None, "the approvals stack is not deployed"
        message = shop.owner_inbox.approval_request(order_id, timeout=EVENT_TIMEOUT_SECONDS)
    return order_id, message


def approve(shop: DeployedShop, customer: Customer) -> None:
    journey = Journey("approve")
    order_id, message = place_and_request_approval(journey, shop, customer)
    with journey.step("the owner opens the Approve link"):
        page = shop.open_link(decision_link(message, "approve"))
        page_says(page, 200, "Approve shipment of this order?")
    with journey.step("the owner confirms on the Function URL's form"):
        page_says(shop.confirm(page), 200, "Approved")
    with journey.step("the customer gets the shipment email"):
        shop.mailbox.wait_for(
            customer, f"Your order {order_id} has shipped", timeout=EVENT_TIMEOUT_SECONDS
        )
    with journey.step("the customer is asked for feedback"):
        shop.mailbox.wait_for(
            customer, f"How was your order {order_id}?", timeout=EVENT_TIMEOUT_SECONDS
        )
    with journey.step("the customer reads the order as feedback_requested"):
        wait_until(
            lambda: shop.order_status(customer, order_id) == "feedback_requested",
            timeout=EVENT_TIMEOUT_SECONDS,
            what=f"{order_id} to read feedback_requested",
        )


def reject(shop: DeployedShop, customer: Customer) -> None:
    journey = Journey("reject")
    order_id, message = place_and_request_approval(journey, shop, customer)
    with journey.step("the owner opens the Reject link"):
        page = shop.open_link(decision_link(message, "reject"))
        page_says(page, 200, "Reject this order?")
    with journey.step("the owner confirms on the Function URL's form"):
        page_says(shop.confirm(page), 200, "Rejected")
    cancelled(journey, shop, customer, order_id)


def time_out(shop: DeployedShop, customer: Customer) -> None:
    journey = Journey("timeout")
    order_id, message = place_and_request_approval(journey, shop, customer)
    cancelled(journey, shop, customer, order_id, after=APPROVAL_WINDOW_SECONDS)
    with journey.step("a late click on the Approve link shows the order was cancelled"):
        page = shop.open_link(decision_link(message, "approve"))
        assert page.status < 500, f"answered {page.status}"
        assert "cancelled" in page.text, "the page does not say the order was cancelled"
        forms = [f for f in forms_in(page.text) if f.method.lower() == "post"]
        assert not forms, "the page still offers to decide"


def cancelled(
    journey: Journey, shop: DeployedShop, customer: Customer, order_id: str, after: float = 0
) -> None:
    with journey.step("the customer gets the cancellation email"):
        shop.mailbox.wait_for(
            customer, f"Your order {order_id} was cancelled", timeout=after + EVENT_TIMEOUT_SECONDS
        )
    with journey.step("the cancelled order is gone for the customer (404)"):
        wait_until(
            lambda: shop.order_status(customer, order_id) == "gone",
            timeout=EVENT_TIMEOUT_SECONDS,
            what=f"{order_id} to be deleted",
        )
