"""Send each customer email once per order and kind, and never leave one stuck.

Delivery is at least once (DESIGN §5): the same event can arrive twice, in one batch or two,
or in two invocations at the same moment. Before sending, ``notify`` claims (order id, kind)
in the sent-email ledger with a conditional write, so only one delivery can send; once the
mail service has accepted the email, the claim is marked sent with its message id.

When something fails between the claim and the mark:

- The mail service refused for good (``EmailRefusedError``: rejected, sender or account not
  allowed, invalid address): the email ends ``failed`` with the reason and is not retried.
- It certainly did not take the email this time (``EmailNotSentError``: throttled, not
  reached): the claim is released and the error raised, so the redelivery sends.
- Anything else (a timeout after the request left, the process died, the mark failed): the
  outcome is unknown. The claim stays and the message is retried. Every email is sent under
  the service's SES configuration set, tagged with its order, kind and claim, so if SES took
  it, its "Email Sent" event marks the entry ``sent`` (``record_delivery``). A redelivery
  that finds the claim still ``sending`` after ``stale_after`` concludes SES never took it
  and takes the claim over to send again: **at least once**, with a second email only if
  SES's own event is later than ``stale_after``. Take-overs are bounded (``max_attempts``);
  then the email ends ``failed`` ("outcome unknown") and is counted for an alarm.
- A redelivery that finds a younger ``sending`` claim raises ``ClaimPendingError``: the
  message comes back once the other delivery has sent, released, or gone stale.

What became of each email is announced on the bus (EmailOutcomeRecorded: sent, failed,
suppressed here; delivered, complained, failed from SES's reports) after the ledger records
it, and the ledger then notes it as announced. A failed announcement fails the message, and
its redelivery announces the outcome the ledger holds but has not noted, under the same event
id (``OutcomeAnnouncer``); a redelivery after a told outcome tells nothing.

The feedback request carries a one-click unsubscribe link; a customer who used it gets no
further feedback requests (the other emails are about their orders and always go out).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from events.models import (
    FeedbackDue,
    OrderCancelled,
    OrderPlaced,
    OrderShipped,
    utc_now,
)
from services.notifications.domain.ports import (
    EmailNotSentError,
    EmailRefusedError,
    Mailer,
    OptOuts,
    OutcomeAnnouncer,
    Renderer,
    SentEmailLedger,
)
from services.notifications.models import (
    Claim,
    DeliveryReport,
    EmailKind,
    EmailOutcome,
    LedgerEntry,
    LedgerStatus,
)
from services.notifications.unsubscribe import recipient_id

CustomerEvent = OrderPlaced | OrderShipped | OrderCancelled | FeedbackDue
CUSTOMER_EVENTS: tuple[type[CustomerEvent], ...] = (
    OrderPlaced,
    OrderShipped,
    OrderCancelled,
    FeedbackDue,
)

KIND_BY_EVENT: dict[type[CustomerEvent], EmailKind] = {
    OrderPlaced: EmailKind.ORDER_RECEIVED,
    OrderShipped: EmailKind.SHIPMENT_CONFIRMED,
    OrderCancelled: EmailKind.ORDER_CANCELLED,
    FeedbackDue: EmailKind.FEEDBACK_REQUEST,
}
UNKNOWN_OUTCOME = "send outcome unknown"


class Outcome(StrEnum):
    """Each value is also the name of the metric counting it."""

    SENT = "EmailSent"
    # Sent again after a claim stayed ``sending`` past ``stale_after`` (SES never said it
    # took the first one): alarm when it happens often.
    RESENT_AFTER_STALE_CLAIM = "EmailResentAfterStaleClaim"
    ALREADY_SETTLED = "EmailAlreadySettled"
    FAILED = "EmailFailedPermanently"
    OUTCOME_UNKNOWN = "EmailOutcomeUnknown"
    OPTED_OUT = "FeedbackRequestSkippedOptedOut"

    @property
    def sent(self) -> bool:
        """The mail service took the email this time."""
        return self in (Outcome.SENT, Outcome.RESENT_AFTER_STALE_CLAIM)

    @property
    def given_up(self) -> bool:
        """Not sent and not to be retried (it would end the same way): worth an alarm."""
        return self in (Outcome.FAILED, Outcome.OUTCOME_UNKNOWN)


class ClaimPendingError(RuntimeError):
    """Another delivery holds a fresh claim on this email: try again later."""


@dataclass(frozen=True)
class ClaimPolicy:
    stale_after: timedelta
    max_attempts: int


@dataclass(frozen=True)
class Unsubscribe:
    """Who opted out of feedback requests, and the link that opts a recipient out."""

    opt_outs: OptOuts
    link: Callable[[str], str]  # address -> one-click unsubscribe URL


@dataclass(frozen=True)
class EmailDependencies:
    ledger: SentEmailLedger
    mailer: Mailer
    renderer: Renderer
    policy: ClaimPolicy
    unsubscribe: Unsubscribe
    outcomes: OutcomeAnnouncer


@dataclass(frozen=True)
class DeliveryDependencies:
    ledger: SentEmailLedger
    outcomes: OutcomeAnnouncer


def notify(
    event: CustomerEvent, deps: EmailDependencies, *, now: Callable[[], datetime] = utc_now
) -> Outcome:
    """Send the email ``event`` calls for, unless this order already got (or is getting) it."""
    ledger, mailer, policy, unsubscribe = deps.ledger, deps.mailer, deps.policy, deps.unsubscribe
    kind = KIND_BY_EVENT[type(event)]
    order_id = event.order_id
    address = str(event.data.customer.email)
    link = None
    if kind is EmailKind.FEEDBACK_REQUEST:
        if unsubscribe.opt_outs.has_opted_out(recipient_id(address)):
            deps.outcomes.announce(order_id, kind, "suppressed", now())
            return Outcome.OPTED_OUT
        link = unsubscribe.link(address)
    # Render before claiming: a template error must not leave a claim behind.
    email = deps.renderer.render(kind, event.data, unsubscribe_url=link)
    claim = Claim(
        order_id=event.order_id,
        kind=kind,
        claim_id=str(uuid.uuid4()),
        event_id=str(event.metadata.event_id),
        claimed_at=now(),
    )
    sent = Outcome.SENT
    if not ledger.claim(claim):
        existing = ledger.entry(claim.order_id, kind)
        if existing is None:
            # Released between our write and our read: that delivery is redelivered.
            raise ClaimPendingError(f"{kind} of order {claim.order_id} was just released")
        if existing.status != "sending":
            if existing.status not in existing.announced:
                at = existing.sent_at or now()
                _announce(ledger, deps.outcomes, order_id, kind, _outcome(existing.status), at=at)
            return Outcome.ALREADY_SETTLED
        if claim.claimed_at - existing.claimed_at < policy.stale_after:
            raise ClaimPendingError(f"{kind} of order {claim.order_id} is being sent")
        if existing.attempts >= policy.max_attempts:
            ledger.mark_failed(_held(existing, claim), reason=UNKNOWN_OUTCOME, at=now())
            _announce(ledger, deps.outcomes, order_id, kind, "failed", at=now())
            return Outcome.OUTCOME_UNKNOWN
        if not ledger.take_over(existing, claim):
            raise ClaimPendingError(f"{kind} of order {claim.order_id} changed meanwhile")
        sent = Outcome.RESENT_AFTER_STALE_CLAIM
    tags = {"order_id": claim.order_id, "kind": kind.value, "claim_id": claim.claim_id}
    # Announced as the time it was sent: SES took it after this and before its delivery.
    sending_at = now()
    try:
        message_id = mailer.send(address, email, tags=tags)
    except EmailRefusedError as refusal:
        ledger.mark_failed(claim, reason=str(refusal), at=now())
        _announce(ledger, deps.outcomes, order_id, kind, "failed", at=now())
        return Outcome.FAILED
    except EmailNotSentError:
        ledger.release(claim)
        raise
    ledger.mark_sent(claim, message_id=message_id, sent_at=now())
    _announce(ledger, deps.outcomes, order_id, kind, "sent", at=sending_at)
    return sent


def record_delivery(report: DeliveryReport, deps: DeliveryDependencies) -> bool:
    """Note what SES reported about an email and announce it; True if it moved the ledger
    forward. A report the ledger already holds is announced again (same event id) only if
    the delivery that recorded it did not get to announce it."""
    outcome = _outcome(report.status)
    moved = deps.ledger.record(report)
    if not moved:
        entry = deps.ledger.entry(report.order_id, report.kind)
        if entry is None or entry.status != report.status or outcome in entry.announced:
            return False
    _announce(deps.ledger, deps.outcomes, report.order_id, report.kind, outcome, at=report.at)
    return moved


def _announce(
    ledger: SentEmailLedger,
    outcomes: OutcomeAnnouncer,
    order_id: str,
    kind: EmailKind,
    outcome: EmailOutcome,
    *,
    at: datetime,
) -> None:
    outcomes.announce(order_id, kind, outcome, at)
    ledger.mark_announced(order_id, kind, outcome)


def _outcome(status: LedgerStatus) -> EmailOutcome:
    if status == "sending":
        raise ValueError("an email still being sent has no outcome yet")
    return status


def _held(entry: LedgerEntry, claim: Claim) -> Claim:
    """The claim ``entry`` records (to end it), as seen by the delivery holding ``claim``."""
    return Claim(
        order_id=entry.order_id,
        kind=entry.kind,
        claim_id=entry.claim_id,
        event_id=claim.event_id,
        claimed_at=entry.claimed_at,
    )
