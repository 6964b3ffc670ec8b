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


@dataclass(frozen=True)
class Claim:
    """The right to send one (order, kind) email, held by one delivery of one event."""

    order_id: str
    kind: EmailKind
    claim_id: str
    event_id: str
    claimed_at: datetime


LedgerStatus = Literal["sending", "sent"]


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
