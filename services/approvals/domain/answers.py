"""How the service answers someone who opened or answered a link: one type per page the owner
sees."""

from __future__ import annotations

from dataclasses import dataclass

from services.approvals.models import Approval, Decision


@dataclass(frozen=True)
class UnknownApproval:
    """A correctly signed link to an approval that does not exist (any more)."""


@dataclass(frozen=True)
class AwaitingConfirmation:
    """GET on an open approval: show the order and the confirmation form.

    ``resume`` means this very decision was recorded but could not be passed on yet:
    confirming again finishes the job.
    """

    approval: Approval
    decision: Decision
    resume: bool = False


@dataclass(frozen=True)
class DecisionRecorded:
    """This request's decision is the one that counts, and it is on the bus."""

    approval: Approval


@dataclass(frozen=True)
class AlreadyDecided:
    """Someone decided first; ``approval.status`` says what."""

    approval: Approval


@dataclass(frozen=True)
class Cancelled:
    """The workflow cancelled the order (``approval.cancel_reason`` says why)."""

    approval: Approval


@dataclass(frozen=True)
class WindowClosed:
    """Nobody decided before the deadline; the cancellation is on its way."""

    approval: Approval


@dataclass(frozen=True)
class NotPublished:
    """This decision is recorded but could not be put on the bus: the same form, sent again,
    publishes it. ``comment`` is the one just sent; ``cause`` is what went wrong."""

    approval: Approval
    comment: str | None
    cause: BaseException | None


LinkAnswer = (
    UnknownApproval
    | AwaitingConfirmation
    | DecisionRecorded
    | AlreadyDecided
    | Cancelled
    | WindowClosed
    | NotPublished
)
