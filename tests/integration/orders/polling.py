"""Waiting for something to show up, with a deadline instead of a fixed sleep."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def wait_for(
    probe: Callable[[], Sequence[T]],
    *,
    what: str,
    count: int = 1,
    timeout_seconds: float = 5.0,
    interval_seconds: float = 0.05,
) -> Sequence[T]:
    """What ``probe`` returns once it holds at least ``count`` things; fails at the deadline."""
    deadline = time.monotonic() + timeout_seconds
    pause = threading.Event()
    while True:
        found = probe()
        if len(found) >= count:
            return found
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}: {len(found)} of {count} seen")
        pause.wait(interval_seconds)
