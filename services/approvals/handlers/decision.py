"""The owner's decision page behind a public Lambda Function URL.

``GET /approvals/<id>?decision=…&expires=…&kid=…&sig=…`` shows the order and a confirmation
form and never changes anything (mail scanners open links); ``HEAD`` answers the same without
the page (link checkers); ``POST /approvals/<id>`` with the form records the decision.
Every answer is an HTML page with strict security headers: 403 tampered, 410 expired,
404 unknown, 400 malformed, never a stack trace.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from events.publisher import EventPublisher
from services.approvals.adapters.publisher import bus_publisher
from services.approvals.adapters.signing_key import SecretKeyring
from services.approvals.adapters.table import DynamoApprovalStore
from services.approvals.domain.answers import DecisionRecorded, LinkAnswer
from services.approvals.domain.decisions import DecisionNotPublishedError, decide, view
from services.approvals.handlers.http import html_response, read_form
from services.approvals.handlers.pages import (
    answer_page,
    error_page,
    problem_page,
    publish_failed_page,
)
from services.approvals.links import LinkProblem, LinkSigner, RefusedLink, VerifiedLink
from services.approvals.models import Decision
from services.approvals.settings import DecisionSettings
from services.common.observability import count

logger = Logger(service="approvals")
tracer = Tracer(service="approvals")
metrics = Metrics(service="approvals")
app = LambdaFunctionUrlResolver()

DECIDED_METRICS = {Decision.APPROVE: "DecidedApprove", Decision.REJECT: "DecidedReject"}


@dataclass(frozen=True)
class DecisionDependencies:
    store: DynamoApprovalStore
    publisher: EventPublisher
    signer: LinkSigner


@functools.cache
def dependencies() -> DecisionDependencies:
    settings = DecisionSettings.from_env()  # from the environment
    keys = SecretKeyring(boto3.client("secretsmanager"), settings.approvals_signing_key_secret)
    return DecisionDependencies(
        store=DynamoApprovalStore(boto3.client("dynamodb"), settings.approvals_table_name),
        publisher=bus_publisher(boto3.client("events"), settings.event_bus_name),
        signer=LinkSigner(keys),
    )


@app.get("/approvals/<approval_id>")
def show_approval(approval_id: str) -> Response[str]:
    now = utc_now()
    deps = dependencies()
    check = deps.signer.verify(approval_id, app.current_event.query_string_parameters, now)
    if isinstance(check, RefusedLink):
        return _refused(check.problem)
    answer = view(deps.store, check.approval_id, check.decision, now)
    return _answer(answer, check, posted=False)


@app.head("/approvals/<approval_id>")
def check_approval(approval_id: str) -> Response[str]:
    response = show_approval(approval_id)
    response.body = ""
    return response


@app.post("/approvals/<approval_id>")
def record_decision(approval_id: str) -> Response[str]:
    now = utc_now()
    deps = dependencies()
    event = app.current_event
    form = read_form(event.body, bool(event.is_base64_encoded))
    if form is None:
        return _refused(LinkProblem.MALFORMED)
    check = deps.signer.verify(approval_id, form.link, now)
    if isinstance(check, RefusedLink):
        return _refused(check.problem)
    try:
        answer = decide(
            deps.store,
            deps.publisher,
            approval_id=check.approval_id,
            decision=check.decision,
            comment=form.comment,
            now=now,
        )
    except DecisionNotPublishedError as error:
        logger.warning(
            "decision recorded, not published",
            extra={"order_id": error.approval.order_id, "outcome": "publish-failed"},
            exc_info=error.__cause__,
        )
        return html_response(publish_failed_page(check, form.comment))
    return _answer(answer, check, posted=True)


@app.not_found
def not_found(_: NotFoundError) -> Response[str]:
    return html_response(error_page(404))


def unexpected_error(_: Exception) -> Response[str]:
    # The trace goes to the log (no key or token is in scope here); the page says nothing.
    logger.exception("unexpected error")
    return html_response(error_page(500))


app.exception_handler(Exception)(unexpected_error)


def _answer(answer: LinkAnswer, link: VerifiedLink, *, posted: bool) -> Response[str]:
    approval = getattr(answer, "approval", None)
    logger.info(
        "decision page",
        extra={
            "order_id": approval.order_id if approval else None,
            "outcome": type(answer).__name__,
            "method": "POST" if posted else "GET",
        },
    )
    if isinstance(answer, DecisionRecorded) and answer.approval.decision is not None:
        count(metrics, DECIDED_METRICS[answer.approval.decision])
    return html_response(answer_page(answer, link, posted=posted))


def _refused(problem: LinkProblem) -> Response[str]:
    logger.info("link refused", extra={"outcome": problem.name.lower()})
    return html_response(problem_page(problem))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
