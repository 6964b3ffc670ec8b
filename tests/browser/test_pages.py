"""What a person sees in a browser: the local mailbox and the owner's approval pages.

Given the local stack and Chromium, when the owner follows the links in their notification,
then the pages show the order, ask for confirmation, record the first decision only, and
refuse a link that was changed. The screenshots in docs/img/ are taken here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Page, expect

from local.server import LocalServer
from tests.browser.conftest import (
    ITEMS,
    TOTAL,
    decision_href,
    owner_message,
    place_order,
    reload_until,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def _tampered(url: str, part: str) -> str:
    """The link with one signed part changed: a character of the signature, or the decision."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if part == "sig":
        query["sig"] = query["sig"][:-1] + ("B" if query["sig"].endswith("A") else "A")
    else:
        query["decision"] = "reject"
    return urlunsplit(parts._replace(query=urlencode(query)))


# First in the module, so the mailbox screenshot shows a short, tidy mailbox.
def test_mailbox_lists_newest_first_and_renders_the_customer_email(
    page: Page, server: LocalServer
) -> None:
    older = place_order(server, "Ada Lovelace", "ada@example.com")
    owner_message(page, server, older)
    received = page.locator(f'iframe[title="We received your order {older}"]')
    reload_until(page, received, what="the order-received email")
    newer = place_order(server, "Grace Hopper", "grace@example.com")
    owner_message(page, server, newer)
    reload_until(
        page,
        page.locator(f'iframe[title="We received your order {newer}"]'),
        what="the second order-received email",
    )

    expect(page.locator("header")).to_contain_text("newest first")
    subjects = page.locator("article .subject").all_inner_texts()
    positions_newer = [i for i, s in enumerate(subjects) if newer in s]
    positions_older = [i for i, s in enumerate(subjects) if older in s]
    assert len(positions_newer) == len(positions_older) == 2, subjects
    assert max(positions_newer) < min(positions_older), subjects

    # The email's HTML is rendered (a table of items, a greeting), not shown as source.
    email = page.frame_locator(f'iframe[title="We received your order {older}"]')
    expect(email.get_by_text("Hello Ada Lovelace,")).to_be_visible()
    expect(email.get_by_text("Thank you for your order")).to_be_visible()
    expect(email.get_by_text("Pour-over kettle", exact=True)).to_be_visible()
    assert "<td" not in page.locator("main").inner_text()
    # The owner's plain-text message carries working links.
    owner = page.locator('article[data-kind="owner"]', has_text=older)
    expect(owner.locator('a[href*="decision=approve"]')).to_be_visible()
    expect(owner.locator('a[href*="decision=reject"]')).to_be_visible()

    save_screenshot(page, "mailbox.png")


def test_owner_approves_from_the_mailbox_and_the_customer_is_told(
    page: Page, server: LocalServer
) -> None:
    order_id = place_order(server, "Alan Turing", "alan@example.com")

    owner = owner_message(page, server, order_id)
    owner.locator('a[href*="decision=approve"]').click()

    expect(page.get_by_role("heading", name="Approve shipment of this order?")).to_be_visible()
    summary = page.locator("table")
    for item in ITEMS:
        expect(summary.get_by_role("cell", name=item["name"], exact=True)).to_be_visible()
    expect(summary.locator("tfoot")).to_contain_text(TOTAL)
    expect(page.get_by_text("Opening this page changed nothing")).to_be_visible()
    confirm = page.get_by_role("button", name="Approve shipment")
    expect(confirm).to_be_visible()
    save_screenshot(page, "approval-page.png")

    confirm.click()

    expect(page.get_by_role("heading", name="Approved — the customer will be told")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text(TOTAL)
    page.goto(f"{server.url}/mailbox")
    shipped = page.locator(
        'article[data-kind="email"]', has_text=f"Your order {order_id} has shipped"
    )
    reload_until(page, shipped, what="the shipment email")
    expect(shipped.locator("iframe")).to_be_visible()


def test_a_second_visit_shows_the_recorded_decision(page: Page, server: LocalServer) -> None:
    order_id = place_order(server, "Barbara Liskov", "barbara@example.com")
    approve = decision_href(page, server, order_id, "approve")
    reject = decision_href(page, server, order_id, "reject")
    page.goto(approve)
    page.get_by_role("button", name="Approve shipment").click()
    expect(page.get_by_role("heading", name="Approved — the customer will be told")).to_be_visible()

    for link in (approve, reject):  # the same link again, and the other one: the first counts
        response = page.goto(link)
        assert response is not None
        assert response.status == 200
        expect(page.get_by_role("heading", name="This order was already approved")).to_be_visible()
        expect(
            page.get_by_text("The first decision counts, so nothing was changed")
        ).to_be_visible()
        expect(page.locator("form")).to_have_count(0)
        expect(page.get_by_role("button")).to_have_count(0)


@pytest.fixture(scope="module")
def awaiting_approval(server: LocalServer) -> str:
    """An order nobody decides on: the tampered links are made from its Approve link."""
    return place_order(server, "Edsger Dijkstra", "edsger@example.com")


@pytest.mark.parametrize("part", ["sig", "decision"])
def test_a_tampered_link_shows_the_403_page(
    page: Page, server: LocalServer, awaiting_approval: str, part: str
) -> None:
    order_id = awaiting_approval
    approve = decision_href(page, server, order_id, "approve")

    response = page.goto(_tampered(approve, part))

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="This link is not valid")).to_be_visible()
    expect(page.get_by_text("The link has been changed or damaged")).to_be_visible()
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    text = page.locator("body").inner_text()
    assert "Traceback" not in text
    assert "Exception" not in text
    assert order_id not in text
    expect(page.locator("form")).to_have_count(0)
    # The genuine link still opens the confirmation page: the refused one changed nothing.
    page.goto(approve)
    expect(page.get_by_role("button", name="Approve shipment")).to_be_visible()
