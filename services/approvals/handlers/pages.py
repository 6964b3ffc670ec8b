"""The decision pages: what the owner reads after opening or answering a link.

Rendered on the presentation side from ``templates/`` (Jinja2, autoescaped). Pages are
self-contained (inline CSS, no scripts, no external assets) and never show exception text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.approvals.adapters.templates import environment
from services.approvals.domain.answers import (
    AlreadyDecided,
    AwaitingConfirmation,
    Cancelled,
    DecisionRecorded,
    LinkAnswer,
    NotPublished,
    UnknownApproval,
    WindowClosed,
)
from services.approvals.links import LinkProblem, VerifiedLink
from services.approvals.models import Approval

_env = environment()
# The pages of a request that changed nothing, by answer.
_UNCHANGED = {
    AlreadyDecided: "decided.html",
    Cancelled: "cancelled.html",
    WindowClosed: "window_closed.html",
}


@dataclass(frozen=True)
class Page:
    status_code: int
    html: str


def answer_page(answer: LinkAnswer, link: VerifiedLink, *, posted: bool) -> Page:
    """The page for what happened. A POST that changed nothing is a 409 (a GET is just a look)."""
    match answer:
        case UnknownApproval():
            return error_page(404)
        case AwaitingConfirmation(approval=approval, decision=decision, resume=resume):
            return _page(200, "confirm.html", approval, link=link, decision=decision, resume=resume)
        case DecisionRecorded(approval=approval):
            return _page(200, "result.html", approval)
        case NotPublished(comment=comment):
            return publish_failed_page(link, comment)
    return _page(409 if posted else 200, _UNCHANGED[type(answer)], answer.approval)


def problem_page(problem: LinkProblem) -> Page:
    return error_page(problem.status_code)


def error_page(status_code: int) -> Page:
    html = _env.get_template("error.html").render(status_code=status_code)
    return Page(status_code, html)


def publish_failed_page(link: VerifiedLink, comment: str | None) -> Page:
    """The decision is recorded but not on the bus yet: offer the same form to try again."""
    html = _env.get_template("retry.html").render(link=link, comment=comment or "")
    return Page(503, html)


def _page(status_code: int, template: str, approval: Approval, **context: Any) -> Page:
    html = _env.get_template(template).render(approval=approval, order=approval.order, **context)
    return Page(status_code, html)
