"""One-click unsubscribe from feedback requests, behind a public Lambda Function URL.

``POST /unsubscribe?r=…&sig=…`` (what a mail client sends for ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, RFC 8058) records the opt-out; ``GET`` (a person, or a mail
scanner, opening the link) only shows a page asking to confirm with that POST. A link that
does not verify gets 403 and changes nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from events.models import utc_now
from services.notifications.adapters.opt_outs import DynamoOptOuts, SecretKey
from services.notifications.handlers import SERVICE
from services.notifications.settings import UnsubscribeSettings
from services.notifications.unsubscribe import UnsubscribeLinks

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
app = LambdaFunctionUrlResolver()
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


@dataclass(frozen=True)
class Dependencies:
    opt_outs: DynamoOptOuts
    links: UnsubscribeLinks


@functools.cache
def dependencies() -> Dependencies:
    settings = UnsubscribeSettings.from_env()
    return Dependencies(
        opt_outs=DynamoOptOuts(
            boto3.client("dynamodb"), settings.notifications_opt_outs_table_name
        ),
        links=UnsubscribeLinks(
            SecretKey(boto3.client("secretsmanager"), settings.notifications_unsubscribe_key_secret)
        ),
    )


def _page(status: int, state: str, title: str, action: str = "") -> Response[str]:
    html = _pages.get_template("unsubscribe_page.html").render(
        state=state, title=title, action=action
    )
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=html, headers=HEADERS
    )


def _verified() -> str | None:
    return dependencies().links.verify(app.current_event.query_string_parameters or {})


@app.get("/unsubscribe")
def confirm() -> Response[str]:
    recipient = _verified()
    if recipient is None:
        return _page(403, "invalid", "Link not valid")
    params = app.current_event.query_string_parameters or {}
    action = "?" + urlencode({"r": params["r"], "sig": params["sig"]})
    return _page(200, "confirm", "Stop feedback requests?", action)


@app.post("/unsubscribe")
def unsubscribe() -> Response[str]:
    recipient = _verified()
    if recipient is None:
        logger.info("unsubscribe refused", extra={"outcome": "invalid-link"})
        return _page(403, "invalid", "Link not valid")
    dependencies().opt_outs.opt_out(recipient, utc_now())
    logger.info("unsubscribed from feedback requests", extra={"outcome": "opted-out"})
    return _page(200, "done", "Unsubscribed")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
