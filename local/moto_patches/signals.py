"""Wake-ups from moto: a stream record appended, an email or owner message sent.

moto stores these and acts on none of them for the local runtime, which would otherwise look
for them on a timer (an idle stack polling every 100 ms). Each hook wraps the one moto method
that stores the thing and, after it returns, sets every ``threading.Event`` registered for that
kind, so the stream pollers and the mailbox run when there is something to see and sleep
otherwise. SQS needs no hook: moto's receive already waits on the queue's condition, which
every send notifies.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models.table import StreamShard
from moto.ses.models import SESBackend
from moto.sns.models import Topic

from local.moto_patches.errors import MotoPatchError, require_source


class Signal:
    """Events to set when moto stored something of one kind."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._events: set[threading.Event] = set()
        self._lock = threading.Lock()
        self.fired = 0

    def subscribe(self, event: threading.Event) -> None:
        with self._lock:
            self._events.add(event)

    def unsubscribe(self, event: threading.Event) -> None:
        with self._lock:
            self._events.discard(event)

    def fire(self) -> None:
        self.fired += 1
        with self._lock:
            events = list(self._events)
        for event in events:
            event.set()


STREAM_RECORDS = Signal("dynamodb stream record")
MAIL = Signal("email or owner message")

# (class, method, what its source must still do, the signal it fires)
_HOOKS: tuple[tuple[type, str, str, Signal], ...] = (
    (StreamShard, "add", "self.items.append(", STREAM_RECORDS),
    (SESBackend, "send_email", "self.sent_messages.append(", MAIL),
    (SESBackend, "send_templated_email", "self.sent_messages.append(", MAIL),
    (SESBackend, "send_bulk_templated_email", "self.sent_messages.append(", MAIL),
    (SESBackend, "send_raw_email", "self.sent_messages.append(", MAIL),
    (Topic, "publish", "self.sent_notifications.append(", MAIL),
)


def _firing(method: Callable[..., Any], signal: Signal) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        finally:
            signal.fire()

    wrapper.fires_shop_signal = signal  # type: ignore[attr-defined]
    return wrapper


def apply() -> None:
    for owner, name, needle, signal in _HOOKS:
        method = owner.__dict__.get(name)
        if method is None:
            raise MotoPatchError(f"{owner.__module__}.{owner.__qualname__}.{name} is gone")
        if getattr(method, "fires_shop_signal", None) is signal:
            continue
        require_source(method, needle)
        setattr(owner, name, _firing(method, signal))
