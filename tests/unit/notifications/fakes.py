"""In-memory adapters for the notifications domain, with the real ones' semantics."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime

from services.notifications.domain.ports import EmailNotSentError, EmailRefusedError
from services.notifications.models import (
    STATUS_RANK,
    Claim,
    DeliveryReport,
    EmailKind,
    EmailOutcome,
    LedgerEntry,
    RenderedEmail,
)


@dataclass
class InMemoryLedger:
    entries: dict[tuple[str, EmailKind], LedgerEntry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, claim: Claim) -> bool:
        with self._lock:  # the conditional put is atomic in DynamoDB
            key = (claim.order_id, claim.kind)
            if key in self.entries:
                return False
            self.entries[key] = LedgerEntry(
                order_id=claim.order_id,
                kind=claim.kind,
                status="sending",
                claim_id=claim.claim_id,
                claimed_at=claim.claimed_at,
            )
            return True

    def entry(self, order_id: str, kind: EmailKind) -> LedgerEntry | None:
        with self._lock:
            return self.entries.get((order_id, kind))

    def release(self, claim: Claim) -> None:
        with self._lock:
            key = (claim.order_id, claim.kind)
            current = self.entries.get(key)
            if current and current.claim_id == claim.claim_id and current.status == "sending":
                del self.entries[key]

    def take_over(self, stale: LedgerEntry, claim: Claim) -> bool:
        with self._lock:
            key = (claim.order_id, claim.kind)
            current = self.entries.get(key)
            if not current or current.claim_id != stale.claim_id or current.status != "sending":
                return False
            self.entries[key] = replace(
                current,
                claim_id=claim.claim_id,
                claimed_at=claim.claimed_at,
                attempts=current.attempts + 1,
            )
            return True

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        self._end(claim, status="sent", message_id=message_id, sent_at=sent_at)

    def mark_failed(self, claim: Claim, *, reason: str, at: datetime) -> None:
        self._end(claim, status="failed", reason=reason)

    def _end(self, claim: Claim, **changes: object) -> None:
        with self._lock:
            key = (claim.order_id, claim.kind)
            current = self.entries[key]
            if current.claim_id == claim.claim_id and current.status == "sending":
                self.entries[key] = replace(current, **changes)  # type: ignore[arg-type]

    def record(self, report: DeliveryReport) -> bool:
        with self._lock:
            key = (report.order_id, report.kind)
            current = self.entries.get(key)
            if current is None or STATUS_RANK[current.status] >= STATUS_RANK[report.status]:
                return False
            self.entries[key] = replace(
                current, status=report.status, message_id=report.message_id, reason=report.reason
            )
            return True

    def mark_announced(self, order_id: str, kind: EmailKind, outcome: EmailOutcome) -> None:
        with self._lock:
            current = self.entries.get((order_id, kind))
            if current is not None:
                announced = current.announced | {outcome}
                self.entries[order_id, kind] = replace(current, announced=announced)


@dataclass(frozen=True)
class SentEmail:
    to: str
    email: RenderedEmail
    message_id: str


@dataclass
class RecordingMailer:
    """Records what it sends; ``failures`` are raised (one per call) before anything is sent,
    except ``sent_then_lost`` ones, raised after the email counts as sent."""

    sent: list[SentEmail] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    sent_then_lost: list[Exception] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)

    def send(self, to: str, email: RenderedEmail, *, tags: dict[str, str]) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.tags.append(tags)
        message = SentEmail(to=to, email=email, message_id=f"msg-{len(self.sent) + 1}")
        self.sent.append(message)
        if self.sent_then_lost:
            raise self.sent_then_lost.pop(0)
        return message.message_id


def throttled() -> EmailNotSentError:
    return EmailNotSentError("TooManyRequestsException")


def rejected() -> EmailRefusedError:
    return EmailRefusedError("MessageRejected")


@dataclass
class InMemoryOptOuts:
    recipients: set[str] = field(default_factory=set)

    def has_opted_out(self, recipient: str) -> bool:
        return recipient in self.recipients


@dataclass
class RecordingAnnouncer:
    """Every EmailOutcomeRecorded announced, as (order id, kind, outcome, at)."""

    announced: list[tuple[str, EmailKind, str, datetime]] = field(default_factory=list)
    # The bus refuses this many announcements first (the publisher raises).
    refusals: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def announce(self, order_id: str, kind: EmailKind, outcome: EmailOutcome, at: datetime) -> None:
        with self._lock:
            if self.refusals:
                self.refusals -= 1
                raise RuntimeError("PutEvents failed")
            self.announced.append((order_id, kind, outcome, at))

    def outcomes(self) -> list[tuple[EmailKind, str]]:
        return [(kind, outcome) for _, kind, outcome, _ in self.announced]
