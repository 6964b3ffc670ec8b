"""Following an owner's approval link as a person in a browser would: open it, read the
confirmation form, submit it. Used by ``shop demo`` and the end-to-end tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

from local.http_events import HttpResponse

LINK = re.compile(r"https?://[^\s<>\"']+")
Send = Callable[[str, str, dict[str, str], bytes], HttpResponse]


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def decision_link(text: str, decision: str) -> str:
    """The owner message's link for ``decision`` ("approve" or "reject")."""
    for link in links_in(text):
        if f"decision={decision}" in link:
            return link
    raise LookupError(f"no {decision} link in the message")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get")))
        elif tag in ("input", "button", "textarea") and self.forms and attributes.get("name"):
            if attributes.get("type") in ("submit", None) and tag == "button":
                self.forms[-1].fields.setdefault(attributes["name"], attributes.get("value", ""))
            elif tag != "button":
                self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def follow(
    send: Send, url: str, *, comment: str | None = None
) -> tuple[HttpResponse, HttpResponse | None]:
    """GET the link; if the page has a form, submit it like a browser. Returns both pages."""
    page = send("GET", url, {"accept": "text/html"}, b"")
    forms = (
        [f for f in forms_in(page.text) if f.method.lower() == "post"] if page.status == 200 else []
    )
    if not forms:
        return page, None
    form = forms[0]
    if comment is not None and "comment" in form.fields:
        form.fields["comment"] = comment
    body = urlencode(form.fields).encode()
    headers = {"content-type": "application/x-www-form-urlencoded", "accept": "text/html"}
    result = send("POST", urljoin(url, form.action), headers, body)
    return page, result
