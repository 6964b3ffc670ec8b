"""A real browser on the local stack: Debian's Chromium driven by Playwright (sync API).

The browser is the system's own ``/usr/bin/chromium`` (``.ci/run`` installs it); Playwright's
own browser download cannot work on a machine without network, so it is never attempted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, sync_playwright

from local import http_client
from local.server import LocalServer
from local.settings import LocalStackSettings
from tests.support.customers import signed_in
from tests.support.paths import REPO_ROOT
from tests.support.polling import wait_until

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1100, "height": 800}
# The README's screenshots are refreshed on request (SHOP_SCREENSHOTS=1 make test); otherwise
# they are still taken, so the capture is exercised, but kept out of the work tree.
SCREENSHOTS = (
    REPO_ROOT / "docs" / "img"
    if os.environ.get("SHOP_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "shop-screenshots"
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)

# As the local sample catalogue prices them; the order itself sends SKUs and quantities.
ITEMS: list[dict[str, Any]] = [
    {"sku": "MUG-01", "name": "Enamel mug", "quantity": 2, "unit_price": "12.50"},
    {"sku": "KTL-07", "name": "Pour-over kettle", "quantity": 1, "unit_price": "39.00"},
]
TOTAL = "64.00 EUR"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. The browser tests use Debian's Chromium: "
            "apt-get install -y chromium (.ci/run installs it before `make test`).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(browser: Browser) -> Iterator[LocalServer]:
    # `browser` first: a missing Chromium fails before the stack is started for nothing.
    settings = LocalStackSettings(
        prefix="shop-browser",
        port=0,
        moto_port=0,
        # Long enough that no order times out while a test looks at it; the feedback email
        # would only clutter the mailbox (and its screenshot), so it comes after the tests.
        approval_window_seconds=120,
        feedback_delay_seconds=600,
    )
    with LocalServer(settings) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def place_order(server: LocalServer, name: str, email: str) -> str:
    """The customer signs in (moto's Cognito) and places an order with their id token."""
    assert server.stack is not None
    response = http_client.post_json(
        f"{server.url}/orders",
        {"items": [{"sku": item["sku"], "quantity": item["quantity"]} for item in ITEMS]},
        signed_in(server.stack.customers(), email, name),
    )
    assert response.status == 201, response.text
    return str(response.json()["order_id"])


def reload_until(page: Page, locator: Locator, *, what: str, timeout: float = 30.0) -> Locator:
    """Reload the (static) page until ``locator`` shows up, or fail after ``timeout`` seconds."""

    def shown() -> bool:
        if locator.count():
            return True
        page.reload()
        return False

    wait_until(shown, timeout=timeout, what=f"the page to show {what}")
    return locator.first


def owner_message(page: Page, server: LocalServer, order_id: str) -> Locator:
    """The owner's notification for ``order_id`` on the mailbox page (waits for it)."""
    page.goto(f"{server.url}/mailbox")
    article = page.locator('article[data-kind="owner"]', has_text=order_id)
    return reload_until(page, article, what=f"the owner's message for {order_id}")


def decision_href(page: Page, server: LocalServer, order_id: str, decision: str) -> str:
    link = owner_message(page, server, order_id).locator(f'a[href*="decision={decision}"]')
    href = link.get_attribute("href")
    assert href, f"no {decision} link in the owner's message"
    return href


def save_screenshot(page: Page, name: str) -> None:
    """A full-page PNG under docs/img/. The viewport grows to the whole page first: Chromium
    paints the mailbox's sandboxed email frames (separate processes) only inside the viewport,
    so a plain full-page capture shows the lower emails blank."""
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")
    page.set_viewport_size(VIEWPORT)
