"""The loyalty rules: a point per whole unit of a shipped order's total, taken back if the
order is cancelled. One ledger entry per (customer, order), so redeliveries change nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Protocol

from loyalty.model import OrderCancelled, OrderShipped, ShopEvent


class EntryStatus(StrEnum):
    AWARDED = "awarded"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Entry:
    customer: str
    order_id: str
    points: int
    status: EntryStatus
    at: datetime
    event_id: str


class Ledger(Protocol):
    def award(self, entry: Entry) -> bool:
        """Record an award unless the order already has an entry; True when recorded."""

    def revoke(self, entry: Entry) -> None:
        """Record the order's points as taken back, whatever was there."""


def points_for(total: Decimal) -> int:
    return int(total.to_integral_value(rounding=ROUND_FLOOR))


def apply(event: ShopEvent, ledger: Ledger) -> str:
    """What happened, for the log: awarded, already-recorded or revoked."""
    data = event.data
    if isinstance(event, OrderShipped):
        awarded = ledger.award(
            Entry(
                customer=data.customer.email,
                order_id=data.order_id,
                points=points_for(event.data.total),
                status=EntryStatus.AWARDED,
                at=event.data.shipped_at,
                event_id=event.metadata.event_id,
            )
        )
        return "awarded" if awarded else "already-recorded"
    assert isinstance(event, OrderCancelled)
    ledger.revoke(
        Entry(
            customer=data.customer.email,
            order_id=data.order_id,
            points=0,
            status=EntryStatus.REVOKED,
            at=event.data.cancelled_at,
            event_id=event.metadata.event_id,
        )
    )
    return "revoked"
