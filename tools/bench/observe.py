"""The mailbox, indexed by order: what each order's owner and customer received, and when.

The stack's mailbox stamps every message with ``seen_at`` when it first notices it, and its
runner and this watch look as soon as moto stores a message (``local.moto_patches.signals``),
so an email's time is known to a few milliseconds (at worst ``POLL_SECONDS``, the watch's
safety net). Clients wait here for their owner's message instead of each scanning the whole
mailbox.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from datetime import datetime

from local.mailbox import Mailbox, MailItem
from local.moto_patches.signals import MAIL
from services.notifications.adapters.renderer import SUBJECTS

OWNER = "owner"
# The backup approver's message (sent with the last reminder), and the owner's reminders, by
# number: ``reminder 1``, ``reminder 2``...
BACKUP = "backup"
REMINDER = "reminder"
EMAIL_KINDS: tuple[str, ...] = tuple(kind.value for kind in SUBJECTS)
POLL_SECONDS = 0.1
_WORD = re.compile(r"[A-Za-z0-9_-]{6,}")
_REMINDER_NUMBER = re.compile(r"^Reminder (\d+) of \d+:", re.MULTILINE)


def kind_of(item: MailItem, order_id: str) -> str:
    """``owner`` for the owner's approval request, ``reminder N`` for the owner's N-th
    reminder, ``backup`` for the backup approver's message, the email kind for a customer
    email, else ``other``."""
    if item.kind == "owner":
        if item.subject.startswith("Reminder:"):
            number = _REMINDER_NUMBER.search(item.body)
            return f"{REMINDER} {number.group(1) if number else '?'}"
        if "backup approver" in item.subject:
            return BACKUP
        return OWNER
    for kind, subject in SUBJECTS.items():
        if item.subject == subject.format(order_id=order_id):
            return kind.value
    return "other"


class MailWatch:
    def __init__(self, mailbox: Mailbox) -> None:
        self._mailbox = mailbox
        self._known: set[str] = set()
        self._by_word: dict[str, list[MailItem]] = defaultdict(list)
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._wakeup = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_new_at = 0.0  # monotonic time of the last new message

    def refresh(self) -> int:
        """Index the messages that arrived since the last look."""
        items = self._mailbox.items()
        with self._changed:
            fresh = [m for m in items if m.id not in self._known]
            if not fresh:
                return 0
            for item in fresh:
                self._known.add(item.id)
                for word in set(_WORD.findall(item.subject)):
                    self._by_word[word].append(item)
            self.last_new_at = time.monotonic()
            self._changed.notify_all()
        return len(fresh)

    def messages(self, order_id: str) -> list[MailItem]:
        """Every message about ``order_id``, oldest first."""
        with self._changed:
            return sorted(self._by_word.get(order_id, []), key=lambda m: m.sequence)

    def by_kind(self, order_id: str) -> dict[str, list[MailItem]]:
        kinds: dict[str, list[MailItem]] = defaultdict(list)
        for item in self.messages(order_id):
            kinds[kind_of(item, order_id)].append(item)
        return dict(kinds)

    def first(self, order_id: str, kind: str) -> MailItem | None:
        return next((m for m in self.messages(order_id) if kind_of(m, order_id) == kind), None)

    def first_seen(self, order_id: str, kind: str) -> datetime | None:
        item = self.first(order_id, kind)
        return item.seen_at if item else None

    def wait_for(self, order_id: str, kinds: tuple[str, ...], timeout: float) -> MailItem | None:
        """The first message of one of ``kinds`` about ``order_id``, waiting up to
        ``timeout`` seconds."""
        found: list[MailItem] = []

        def arrived() -> bool:
            item = next(
                (m for m in self._by_word.get(order_id, []) if kind_of(m, order_id) in kinds),
                None,
            )
            if item is not None:
                found.append(item)
            return item is not None

        with self._changed:
            self._changed.wait_for(lambda: arrived() or self._stop.is_set(), timeout)
        return found[0] if found else None

    def start(self) -> None:
        MAIL.subscribe(self._wakeup)
        self._thread = threading.Thread(target=self._loop, name="bench-mailwatch", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wakeup.wait(POLL_SECONDS)
            self._wakeup.clear()  # before the look: a message stored during it wakes the next
            self.refresh()

    def stop(self) -> None:
        MAIL.unsubscribe(self._wakeup)
        self._stop.set()
        self._wakeup.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(5)
