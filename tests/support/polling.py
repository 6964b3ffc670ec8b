"""Waiting for an asynchronous outcome: poll with a deadline, never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable, Sized
from typing import TypeVar, cast

T = TypeVar("T")
INTERVAL_SECONDS = 0.05


def wait_until(
    condition: Callable[[], T],
    *,
    count: int | None = None,
    timeout: float = 30.0,
    what: str = "a condition",
) -> T:
    """What ``condition`` returns once it is truthy or, given ``count``, once it holds at least
    ``count`` things; fails after ``timeout`` seconds, saying what it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        seen = None if count is None else len(cast(Sized, result))
        if (seen >= count) if seen is not None and count is not None else result:
            return result
        if time.monotonic() > deadline:
            progress = "" if seen is None else f" ({seen} of {count} seen)"
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{progress}")
        time.sleep(INTERVAL_SECONDS)  # the polling interval, not a wait for the outcome
