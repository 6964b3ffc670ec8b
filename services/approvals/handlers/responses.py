"""The decision function's results as HTTP responses: the page, one log line (the order and
what happened, never the link's signature or the comment) and the decision metrics."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from services.approvals.domain.answering import Answered
from services.approvals.domain.answers import DecisionRecorded, NotPublished
from services.approvals.handlers.http import html_response
from services.approvals.handlers.pages import answer_page, error_page, problem_page
from services.approvals.links import RefusedLink
from services.approvals.models import Decision
from services.common.observability import count

DECIDED_METRICS = {Decision.APPROVE: "DecidedApprove", Decision.REJECT: "DecidedReject"}


class DecisionResponses:
    def __init__(self, logger: Logger, metrics: Metrics) -> None:
        self._logger = logger
        self._metrics = metrics

    def answer(self, result: Answered | RefusedLink, *, posted: bool) -> Response[str]:
        if isinstance(result, RefusedLink):
            self._logger.info("link refused", extra={"outcome": result.problem.name.lower()})
            return html_response(problem_page(result.problem))
        answer = result.answer
        approval = getattr(answer, "approval", None)
        order_id = approval.order_id if approval else None
        if isinstance(answer, NotPublished):
            self._logger.warning(
                "decision recorded, not published",
                extra={"order_id": order_id, "outcome": "publish-failed"},
                exc_info=answer.cause,
            )
        else:
            outcome, method = type(answer).__name__, "POST" if posted else "GET"
            self._logger.info(
                "decision page", extra={"order_id": order_id, "outcome": outcome, "method": method}
            )
        if isinstance(answer, DecisionRecorded) and answer.approval.decision is not None:
            count(self._metrics, DECIDED_METRICS[answer.approval.decision])
        return html_response(answer_page(answer, result.link, posted=posted))

    def not_found(self, _: NotFoundError) -> Response[str]:
        return html_response(error_page(404))

    def unexpected_error(self, _: Exception) -> Response[str]:
        # The trace goes to the log (no key or token is in scope here); the page says nothing.
        self._logger.exception("unexpected error")
        return html_response(error_page(500))
