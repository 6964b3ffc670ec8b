"""Turns approvals and outcomes into what people read: the owner's message and the HTML pages.

Templates live in ``templates/`` (Jinja2, autoescaped except the plain-text message). Pages
are self-contained (inline CSS, no scripts, no external assets) and never show exception text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from events.models import LineItem
from services.approvals.domain.outcomes import (
    AlreadyDecided,
    AwaitingConfirmation,
    Cancelled,
    DecisionRecorded,
    Outcome,
    UnknownApproval,
    WindowClosed,
)
from services.approvals.domain.ports import OwnerMessage
from services.approvals.links import LinkProblem, VerifiedLink
from services.approvals.models import Approval

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(
        enabled_extensions=("html",), disabled_extensions=("txt",), default=True
    ),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _line_total(item: LineItem) -> str:
    return str(Decimal(item.unit_price) * item.quantity)


_env.filters["when"] = _when
_env.filters["line_total"] = _line_total


@dataclass(frozen=True)
class OwnerLinks:
    approve: str
    reject: str


@dataclass(frozen=True)
class Page:
    status_code: int
    html: str


def owner_message(approval: Approval, links: OwnerLinks) -> OwnerMessage:
    text = _env.get_template("owner_message.txt").render(
        order=approval.order, deadline=approval.deadline, links=links
    )
    return OwnerMessage(subject=f"Order {approval.order_id} needs your approval", text=text)


def outcome_page(outcome: Outcome, link: VerifiedLink, *, posted: bool) -> Page:
    """The page for what happened. A POST that changed nothing is a 409 (a GET is just a look)."""
    lost = 409 if posted else 200
    match outcome:
        case UnknownApproval():
            return error_page(404)
        case AwaitingConfirmation(approval=approval, decision=decision, resume=resume):
            return _page(200, "confirm.html", approval, link=link, decision=decision, resume=resume)
        case DecisionRecorded(approval=approval):
            return _page(200, "result.html", approval)
        case AlreadyDecided(approval=approval):
            return _page(lost, "decided.html", approval)
        case Cancelled(approval=approval):
            return _page(lost, "cancelled.html", approval)
        case WindowClosed(approval=approval):
            return _page(lost, "window_closed.html", approval)


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
