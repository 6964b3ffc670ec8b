"""The local stack's own pages: the mailbox (HTML for people, JSON for ``shop outbox``)."""

from __future__ import annotations

import json
import re

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from local.gateway import Router
from local.http_events import HttpRequest, HttpResponse
from local.mailbox import Mailbox

_LINK = re.compile(r"https?://[^\s<>\"']+")


def linkify(text: str) -> Markup:
    """Escape ``text`` and turn its URLs into links (the owner's SNS messages are plain text)."""
    escaped = str(escape(text))
    return Markup(  # noqa: S704 - every piece was escaped above
        _LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    )


_templates = Environment(
    loader=PackageLoader("local", "templates"), autoescape=select_autoescape(["html"])
)
_templates.filters["linkify"] = linkify

_PAGE_HEADERS = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    # The emails' HTML renders in sandboxed frames; nothing on the page loads from elsewhere.
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src data:"
    ),
}


def mailbox_page(mailbox: Mailbox) -> HttpResponse:
    html = _templates.get_template("mailbox.html").render(items=mailbox.items())
    return HttpResponse(200, dict(_PAGE_HEADERS), html.encode())


def mailbox_json(mailbox: Mailbox) -> HttpResponse:
    body = json.dumps([item.to_json() for item in mailbox.items()], indent=2)
    return HttpResponse(200, {"content-type": "application/json"}, body.encode())


def mount(router: Router, mailbox: Mailbox) -> None:
    def page(_: HttpRequest) -> HttpResponse:
        return mailbox_page(mailbox)

    def data(_: HttpRequest) -> HttpResponse:
        return mailbox_json(mailbox)

    router.pages["/mailbox"] = page
    router.pages["/mailbox.json"] = data
