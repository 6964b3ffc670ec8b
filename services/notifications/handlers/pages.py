"""The unsubscribe pages, rendered from ``templates/unsubscribe_page.html`` (autoescaped),
served with strict security headers."""

from __future__ import annotations

from pathlib import Path

from aws_lambda_powertools.event_handler import Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

_pages = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
)
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the URL carries a signature
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def unsubscribe_page(status: int, state: str, title: str, action: str = "") -> Response[str]:
    html = _pages.get_template("unsubscribe_page.html").render(
        state=state, title=title, action=action
    )
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=html, headers=HEADERS
    )


def link_not_valid() -> Response[str]:
    return unsubscribe_page(403, "invalid", "Link not valid")
