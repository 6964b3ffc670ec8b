"""Answering whoever opens or posts a decision link, in one call per request: verify the
link, then show the approval (``view``) or record the decision (``decide``).

A decision recorded but not published is an answer too (the same form, offered again),
not an error: the decision is safe and sending it again publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from events.publisher import EventPublisher
from services.approvals.domain.answers import DecisionRecorded, LinkAnswer, NotPublished
from services.approvals.domain.decisions import DecisionNotPublishedError, decide, view
from services.approvals.domain.ports import ApprovalStore
from services.approvals.domain.reminders import ReminderTimers
from services.approvals.links import LinkSigner, RefusedLink, VerifiedLink


@dataclass(frozen=True)
class DecisionDependencies:
    store: ApprovalStore
    publisher: EventPublisher
    signer: LinkSigner
    # A decision stops the reminders still to come (their handler checks the ledger anyway).
    timers: ReminderTimers | None = None


@dataclass(frozen=True)
class Answered:
    link: VerifiedLink
    answer: LinkAnswer


def open_link(
    deps: DecisionDependencies, approval_id: str, params: Mapping[str, str], now: datetime
) -> Answered | RefusedLink:
    """What a GET on a link (its query ``params``) shows. Never changes anything."""
    link = deps.signer.verify(approval_id, params, now)
    if isinstance(link, RefusedLink):
        return link
    return Answered(link, view(deps.store, link.approval_id, link.decision, now))


def post_decision(
    deps: DecisionDependencies,
    approval_id: str,
    params: Mapping[str, str],
    comment: str | None,
    now: datetime,
) -> Answered | RefusedLink:
    """Record the decision a confirmation form (its link ``params`` and ``comment``) carries,
    if nobody was first, and publish it."""
    link = deps.signer.verify(approval_id, params, now)
    if isinstance(link, RefusedLink):
        return link
    try:
        answer = decide(
            deps.store,
            deps.publisher,
            approval_id=link.approval_id,
            decision=link.decision,
            comment=comment,
            now=now,
            approver=link.approver,
        )
    except DecisionNotPublishedError as error:
        answer = NotPublished(error.approval, comment, error.__cause__)
    if isinstance(answer, DecisionRecorded) and deps.timers is not None:
        deps.timers.cancel(link.approval_id)
    return Answered(link, answer)
