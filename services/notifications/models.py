"""The service's internal vocabulary: which email, its rendered content, its ledger entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal


class EmailKind(StrEnum):
    """One customer email per kind and order; also the ledger's sort key."""

    ORDER_RECEIVED = "order_received"
    SHIPMENT_CONFIRMED = "shipment_confirmed"
    ORDER_CANCELLED = "order_cancelled"
    FEEDBACK_REQUEST = "feedback_request"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str
    headers: tuple[tuple[str, str], ...] = ()  # extra header lines, e.g. List-Unsubscribe


@dataclass(frozen=True)
class Claim:
    """The right to send one (order, kind) email, held by one delivery of one event."""

    order_id: str
    kind: EmailKind
    claim_id: str
    event_id: str
    claimed_at: datetime


# sending: claimed, SES not (yet) known to have it; sent: SES accepted it; delivered /
# complained / failed: what happened next (failed: refused, rejected or bounced, see reason).
LedgerStatus = Literal["sending", "sent", "delivered", "complained", "failed"]
# How far along an email is: a report only ever moves it forward (reports arrive unordered).
STATUS_RANK: dict[LedgerStatus, int] = {
    "sending": 0,
    "sent": 1,
    "delivered": 2,
    "complained": 3,
    "failed": 3,
}


# What other services hear about an email (EmailOutcomeRecorded): a ledger status past
# ``sending``, or ``suppressed`` when an opted-out customer's email is not sent at all.
EmailOutcome = Literal["sent", "delivered", "complained", "failed", "suppressed"]


@dataclass(frozen=True)
class LedgerEntry:
    """What the sent-email ledger knows about one (order, kind). No customer data."""

    order_id: str
    kind: EmailKind
    status: LedgerStatus
    claim_id: str
    claimed_at: datetime
    message_id: str | None = None
    sent_at: datetime | None = None
    attempts: int = 1  # sends tried under a claim (a stale claim is taken over, bounded)
    reason: str | None = None  # why it failed or was complained about
    # Outcomes already told to the bus (EmailOutcomeRecorded): a redelivery tells only the rest.
    announced: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DeliveryReport:
    """What SES said happened to one email, from its configuration set's events."""

    order_id: str
    kind: EmailKind
    status: LedgerStatus
    at: datetime
    message_id: str
    reason: str | None = None
