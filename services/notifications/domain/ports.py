"""What the domain needs from the outside world, as Protocols (fakes in unit tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from events.models import OrderSummary
from services.notifications.models import (
    Claim,
    DeliveryReport,
    EmailKind,
    EmailOutcome,
    LedgerEntry,
    RenderedEmail,
)


class EmailNotSentError(Exception):
    """The mail service certainly did not accept the email this time (it refused for a
    reason that may pass, such as throttling, or was never reached): worth trying again.

    Any other exception from ``Mailer.send`` means the outcome is unknown: the request may
    have been accepted before the answer was lost.
    """


class EmailRefusedError(Exception):
    """The mail service refused the email for good (rejected, sender or account not allowed,
    invalid address): sending it again would be refused again. The message is the reason
    (an error code, never an address)."""


class Mailer(Protocol):
    def send(self, to: str, email: RenderedEmail, *, tags: dict[str, str]) -> str:
        """Send ``email`` to the address ``to``, tagged so the mail service's reports about
        it can be matched to the ledger; return the mail service's message id."""
        ...


class SentEmailLedger(Protocol):
    def claim(self, claim: Claim) -> bool:
        """Record ``claim`` unless its (order, kind) is already claimed; True if it was."""
        ...

    def entry(self, order_id: str, kind: EmailKind) -> LedgerEntry | None:
        """The current entry for (order, kind), read consistently."""
        ...

    def take_over(self, stale: LedgerEntry, claim: Claim) -> bool:
        """Replace the ``stale`` claim (still ``sending``, same claim id) with ``claim``,
        counting one more attempt; False if anything changed meanwhile."""
        ...

    def release(self, claim: Claim) -> None:
        """Drop ``claim`` if it is still the unsent one recorded; otherwise do nothing."""
        ...

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        """Turn ``claim`` into a sent entry with the mail service's message id (unless a
        report already moved it further)."""
        ...

    def mark_failed(self, claim: Claim, *, reason: str, at: datetime) -> None:
        """End ``claim`` as ``failed`` with ``reason``."""
        ...

    def record(self, report: DeliveryReport) -> bool:
        """Move the entry forward to ``report.status``; False when there is no such entry or
        it is already as far (reports come late, twice and out of order)."""
        ...

    def mark_announced(self, order_id: str, kind: EmailKind, outcome: EmailOutcome) -> None:
        """Note that ``outcome`` was told to the bus, so a redelivery does not tell it again."""
        ...


class Renderer(Protocol):
    def render(
        self, kind: EmailKind, order: OrderSummary, *, unsubscribe_url: str | None = None
    ) -> RenderedEmail:
        """The subject, HTML and text of ``kind`` for ``order`` (an event's data); with
        ``unsubscribe_url``, the one-click List-Unsubscribe headers and a visible link."""
        ...


class OptOuts(Protocol):
    def has_opted_out(self, recipient: str) -> bool:
        """Whether the recipient (an id, not an address) asked for no more feedback requests."""
        ...


class OptOutRecords(Protocol):
    def opt_out(self, recipient: str, at: datetime) -> None:
        """Record that the recipient (an id) wants no more feedback requests; a second time
        keeps the first."""
        ...


class OutcomeAnnouncer(Protocol):
    def announce(self, order_id: str, kind: EmailKind, outcome: EmailOutcome, at: datetime) -> None:
        """Tell the bus what became of the order's ``kind`` email (EmailOutcomeRecorded).

        The same (order, kind, outcome) always gets the same event id: announcing it again
        (a retry after a failed publish) is recognised by every consumer as the same event.
        """
        ...
