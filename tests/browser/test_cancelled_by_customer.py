"""The owner opens a link of an order its customer already cancelled: the page says so, and
when, and offers nothing to confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from local import http_client
from local.server import LocalServer
from tests.browser.conftest import owner_message, place_order
from tests.support.customers import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_the_owner_sees_an_order_the_customer_cancelled(page: Page, server: LocalServer) -> None:
    assert server.stack is not None
    email = "margaret@example.com"
    order_id = place_order(server, "Margaret Hamilton", email)
    owner = owner_message(page, server, order_id)
    approve = owner.locator('a[href*="decision=approve"]')
    expect(approve).to_be_visible()

    # Given the customer cancelled before the owner decided
    answer = http_client.send(
        "POST",
        f"{server.url}/orders/{order_id}/cancel",
        signed_in(server.stack.customers(), email, "Margaret Hamilton"),
    )
    assert answer.status == 200, answer.text

    # When the owner follows the Approve link in their message
    approve.click()

    # Then the page says the customer cancelled it, and when; there is nothing to confirm
    expect(page.get_by_role("heading", name="This order was cancelled")).to_be_visible()
    expect(page.get_by_text("It was cancelled by the customer at")).to_be_visible()
    expect(page.get_by_text("Nothing was changed now.")).to_be_visible()
    expect(page.locator("form")).to_have_count(0)
    expect(page.get_by_role("button")).to_have_count(0)
