"""The four customer emails as a customer reads them: subject, HTML and text."""

from __future__ import annotations

import re

import pytest

from events.models import Event
from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.notify import KIND_BY_EVENT
from services.notifications.models import RenderedEmail
from tests.unit.notifications.samples import (
    feedback_due,
    order_cancelled,
    order_placed,
    order_shipped,
)

REJECTED_TEXT = "the shop could not fulfil your order"
TIMEOUT_TEXT = "the shop did not confirm your order in time"
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def render(event: Event) -> RenderedEmail:
    return JinjaRenderer().render(KIND_BY_EVENT[type(event)], event.data)  # type: ignore[index]


@pytest.mark.parametrize(
    ("event", "subject", "says"),
    [
        (
            order_placed(),
            "We received your order ord_1001",
            ["Thank you for your order", "The shop will confirm shipment soon"],
        ),
        (
            order_shipped(),
            "Your order ord_1001 has shipped",
            ["has shipped on 1 March 2026, 14:05 UTC"],
        ),
        (
            order_cancelled(reason="rejected"),
            "Your order ord_1001 was cancelled",
            [REJECTED_TEXT, "Nothing was charged", "removed"],
        ),
        (
            order_cancelled(reason="approval_timeout"),
            "Your order ord_1001 was cancelled",
            [TIMEOUT_TEXT, "Nothing was charged", "removed"],
        ),
        (
            feedback_due(),
            "How was your order ord_1001?",
            ["We would love to hear how it went", "reply to this email"],
        ),
    ],
    ids=["received", "shipped", "cancelled-rejected", "cancelled-timeout", "feedback"],
)
def test_each_email_greets_the_customer_and_lists_the_order(
    event: Event, subject: str, says: list[str]
) -> None:
    email = render(event)

    assert email.subject == subject
    for body in (email.text, email.html):
        assert "Hello Ada Lovelace," in body
        for phrase in says:
            assert phrase in body
        assert "2 x Mug & Saucer" in email.text
        assert "EUR 9.00" in body  # 2 x 4.50, with its currency
        assert "EUR 1,243.50" in body  # the total


@pytest.mark.parametrize(
    ("reason", "says", "never_says"),
    [("rejected", REJECTED_TEXT, TIMEOUT_TEXT), ("approval_timeout", TIMEOUT_TEXT, REJECTED_TEXT)],
)
def test_the_cancellation_says_why_and_only_why(reason: str, says: str, never_says: str) -> None:
    email = render(order_cancelled(reason=reason))  # type: ignore[arg-type]

    for body in (email.text, email.html):
        assert says in body
        assert never_says not in body


def test_html_escapes_a_hostile_customer_name() -> None:
    email = render(order_placed(name="<script>alert('x')</script>"))

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in email.html
    assert "&amp;" in email.html  # item names are escaped too ("Mug & Saucer")


@pytest.mark.parametrize(
    "event",
    [order_placed(), order_shipped(), order_cancelled(), feedback_due()],
    ids=lambda e: e.detail_type,
)
def test_the_text_version_is_plain_text(event: Event) -> None:
    text = render(event).text

    assert not HTML_TAG.search(text)
    assert "&amp;" not in text  # not escaped: plain text shows "&" as it is
    assert "Mug & Saucer" in text


@pytest.mark.parametrize(
    "event",
    [order_placed(), order_shipped(), order_cancelled(), feedback_due()],
    ids=lambda e: e.detail_type,
)
def test_the_html_version_needs_nothing_from_outside(event: Event) -> None:
    html = render(event).html

    assert html.startswith("<!DOCTYPE html>")
    assert "ord_1001" in html
    for external in ("http://", "https://", "<link", "<img", "<script", "<style"):
        assert external not in html
