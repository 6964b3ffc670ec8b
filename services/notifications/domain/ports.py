"""What the domain needs from the outside world, as Protocols (fakes in unit tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from events.models import OrderSummary
from services.notifications.models import Claim, EmailKind, LedgerEntry, RenderedEmail


class EmailNotSentError(Exception):
    """The mail service certainly did not accept the email (it refused, or was never reached).

    Any other exception from ``Mailer.send`` means the outcome is unknown: the request may
    have been accepted before the answer was lost.
    """


class Mailer(Protocol):
    def send(self, to: str, email: RenderedEmail) -> str:
        """Send ``email`` to the address ``to``; return the mail service's message id."""
        ...


class SentEmailLedger(Protocol):
    def claim(self, claim: Claim) -> bool:
        """Record ``claim`` unless its (order, kind) is already claimed; True if it was."""
        ...

    def entry(self, order_id: str, kind: EmailKind) -> LedgerEntry | None:
        """The current entry for (order, kind), read consistently."""
        ...

    def release(self, claim: Claim) -> None:
        """Drop ``claim`` if it is still the unsent one recorded; otherwise do nothing."""
        ...

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        """Turn ``claim`` into a sent entry with the mail service's message id."""
        ...


class Renderer(Protocol):
    def render(self, kind: EmailKind, order: OrderSummary) -> RenderedEmail:
        """The subject, HTML and text of ``kind`` for ``order`` (an event's data)."""
        ...
