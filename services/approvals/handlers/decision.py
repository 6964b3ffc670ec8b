"""The owner's decision page behind a public Lambda Function URL.

``GET /approvals/<id>?decision=…&expires=…&kid=…&sig=…`` shows the order and a confirmation
form and never changes anything (mail scanners open links); ``HEAD`` answers the same without
the page (link checkers); ``POST /approvals/<id>`` with the form records the decision.
Every answer is an HTML page with strict security headers: 403 tampered, 410 expired,
404 unknown, 400 malformed, never a stack trace.
"""

from __future__ import annotations

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from services.approvals import bootstrap
from services.approvals.domain.answering import open_link, post_decision
from services.approvals.handlers.http import read_form
from services.approvals.handlers.responses import DecisionResponses
from services.approvals.links import LinkProblem, RefusedLink
from services.common.observability import service_tracer

logger = Logger(service="approvals")
tracer = service_tracer("approvals")
metrics = Metrics(service="approvals")
app = LambdaFunctionUrlResolver()
dependencies = functools.cache(bootstrap.decision_dependencies)
responses = DecisionResponses(logger, metrics)
app.not_found(responses.not_found)
app.exception_handler(Exception)(responses.unexpected_error)


@app.get("/approvals/<approval_id>")
def show_approval(approval_id: str) -> Response[str]:
    params = app.current_event.query_string_parameters
    return responses.answer(open_link(dependencies(), approval_id, params, utc_now()), posted=False)


@app.head("/approvals/<approval_id>")
def check_approval(approval_id: str) -> Response[str]:
    response = show_approval(approval_id)
    response.body = ""
    return response


@app.post("/approvals/<approval_id>")
def record_decision(approval_id: str) -> Response[str]:
    event = app.current_event
    form = read_form(event.body, bool(event.is_base64_encoded))
    if form is None:
        return responses.answer(RefusedLink(LinkProblem.MALFORMED), posted=True)
    answered = post_decision(dependencies(), approval_id, form.link, form.comment, utc_now())
    return responses.answer(answered, posted=True)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
