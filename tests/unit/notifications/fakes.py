"""In-memory adapters for the notifications domain, with the real ones' semantics."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime

from services.notifications.domain.ports import EmailNotSentError
from services.notifications.models import Claim, EmailKind, LedgerEntry, RenderedEmail


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

    def mark_sent(self, claim: Claim, *, message_id: str, sent_at: datetime) -> None:
        with self._lock:
            key = (claim.order_id, claim.kind)
            current = self.entries[key]
            assert current.claim_id == claim.claim_id
            self.entries[key] = replace(
                current, status="sent", message_id=message_id, sent_at=sent_at
            )


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

    def send(self, to: str, email: RenderedEmail) -> str:
        if self.failures:
            raise self.failures.pop(0)
        message = SentEmail(to=to, email=email, message_id=f"msg-{len(self.sent) + 1}")
        self.sent.append(message)
        if self.sent_then_lost:
            raise self.sent_then_lost.pop(0)
        return message.message_id


def refused() -> EmailNotSentError:
    return EmailNotSentError("MessageRejected")
