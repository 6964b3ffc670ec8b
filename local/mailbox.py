"""Everything the shop sent: customer emails (SES) and owner notifications (SNS).

moto keeps what was sent in its backends (its documented way to check that a message went
out), and the local stack runs moto in this process, so the mailbox reads them there. moto
records no send time, so the mailbox stamps each message when it first sees it; it looks
often (every page view, every ``wait_for``), which keeps "newest first" honest.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from local.moto_patches.signals import MAIL


@dataclass(frozen=True)
class MailItem:
    id: str
    kind: Literal["email", "owner"]
    to: tuple[str, ...]
    subject: str
    html: str | None
    text: str | None
    seen_at: datetime
    sequence: int

    @property
    def body(self) -> str:
        return self.text if self.text is not None else (self.html or "")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "to": list(self.to),
            "subject": self.subject,
            "html": self.html,
            "text": self.text,
            "seen_at": self.seen_at.isoformat(),
        }


class Mailbox:
    """Also an event source for the stack's runner: polling it stamps new messages promptly."""

    name = "mailbox"

    def __init__(
        self,
        region: str,
        topic_arns: dict[str, str],
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        """``topic_arns`` maps each topic to who reads it ("the store owner")."""
        self._region = region
        self._account = account_id
        self._topics = topic_arns
        self._seen: dict[str, MailItem] = {}
        self._lock = threading.Lock()
        self.wakeup = threading.Event()  # set by moto when an email or owner message is stored
        self.idle_seconds = 5.0  # a safety net: the wake-up is what makes it look
        MAIL.subscribe(self.wakeup)

    def close(self) -> None:
        MAIL.unsubscribe(self.wakeup)

    def items(self) -> list[MailItem]:
        """Every message, newest first."""
        with self._lock:
            for raw in self._scan():  # only messages not seen before
                self._seen[raw["id"]] = MailItem(
                    seen_at=datetime.now(UTC), sequence=len(self._seen), **raw
                )
            return sorted(self._seen.values(), key=lambda m: m.sequence, reverse=True)

    def poll_once(self) -> int:
        self.items()
        return 0  # never "busy": the runner waits its idle interval between looks

    def emails_to(self, address: str) -> list[MailItem]:
        return [m for m in self.items() if m.kind == "email" and address in m.to]

    def owner_messages(self) -> list[MailItem]:
        return [m for m in self.items() if m.kind == "owner"]

    def wait_for(
        self, predicate: Callable[[MailItem], bool], *, timeout: float = 20.0, count: int = 1
    ) -> list[MailItem]:
        """Poll until ``count`` messages match (oldest first), or fail with what arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in reversed(self.items()) if predicate(m)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                subjects = [m.subject for m in self.items()]
                raise TimeoutError(f"expected {count} message(s), found {len(found)}; {subjects}")
            self.wakeup.wait(0.1)

    def _scan(self) -> list[dict[str, Any]]:
        """The messages not seen yet (reading every message on every look grows with the
        mailbox: thousands of emails in a ``shop bench`` run)."""
        found: list[dict[str, Any]] = []
        for message in list(ses_backends[self._account][self._region].sent_messages):
            if message.id not in self._seen:
                found.append(_ses_item(message))
        sns = sns_backends[self._account][self._region]
        for arn, reader in self._topics.items():
            topic = sns.topics.get(arn)
            for message_id, body, subject, *_ in list(topic.sent_notifications if topic else []):
                if message_id in self._seen:
                    continue
                found.append(
                    {
                        "id": message_id,
                        "kind": "owner",
                        "to": (f"{reader} (topic {arn.rsplit(':', 1)[-1]})",),
                        "subject": subject or "(no subject)",
                        "html": None,
                        "text": body,
                    }
                )
        return found


def _ses_item(message: Any) -> dict[str, Any]:
    if hasattr(message, "raw_data"):  # SendEmail with Raw content: a MIME document
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        html = parsed.get_body(("html",))
        text = parsed.get_body(("plain",))
        return {
            "id": message.id,
            "kind": "email",
            "to": tuple(message.destinations),
            "subject": str(parsed.get("subject", "")),
            "html": html.get_content() if html is not None else None,
            "text": text.get_content() if text is not None else None,
        }
    # moto keeps one body of a Simple message: the HTML part when there is one.
    body = str(getattr(message, "body", ""))
    is_html = "<html" in body.lower() or "</" in body
    destinations = getattr(message, "destinations", {}) or {}
    return {
        "id": message.id,
        "kind": "email",
        "to": tuple(destinations.get("ToAddresses", [])),
        "subject": str(getattr(message, "subject", "")),
        "html": body if is_html else None,
        "text": None if is_html else body,
    }
