"""One-click unsubscribe from feedback requests, behind a public Lambda Function URL.

``POST /unsubscribe?r=…&sig=…`` (what a mail client sends for ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, RFC 8058) records the opt-out; ``GET`` (a person, or a mail
scanner, opening the link) only shows a page asking to confirm with that POST. A link that
does not verify gets 403 and changes nothing.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from services.common.observability import service_tracer
from services.notifications import bootstrap
from services.notifications.domain.opt_out import opt_out
from services.notifications.handlers import SERVICE
from services.notifications.handlers.pages import link_not_valid, unsubscribe_page

logger = Logger(service=SERVICE)
tracer = service_tracer(SERVICE)
app = LambdaFunctionUrlResolver()
dependencies = functools.cache(bootstrap.opt_out)


@app.get("/unsubscribe")
def confirm() -> Response[str]:
    params = app.current_event.query_string_parameters or {}
    if dependencies().links.verify(params) is None:
        return link_not_valid()
    action = "?" + urlencode({"r": params["r"], "sig": params["sig"]})
    return unsubscribe_page(200, "confirm", "Stop feedback requests?", action)


@app.post("/unsubscribe")
def unsubscribe() -> Response[str]:
    if not opt_out(dependencies(), app.current_event.query_string_parameters or {}, utc_now()):
        logger.info("unsubscribe refused", extra={"outcome": "invalid-link"})
        return link_not_valid()
    logger.info("unsubscribed from feedback requests", extra={"outcome": "opted-out"})
    return unsubscribe_page(200, "done", "Unsubscribed")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
