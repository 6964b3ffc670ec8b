"""Percentiles and throughput over plain numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (``q`` in 0..100): a value that was actually measured."""
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be in [0, 100]")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LatencySummary:
    count: int
    p50: float
    p95: float
    max: float

    def to_json(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def summarize(values: Sequence[float]) -> LatencySummary | None:
    if not values:
        return None
    return LatencySummary(len(values), percentile(values, 50), percentile(values, 95), max(values))


def throughput(count: int, started: float, ended: float) -> float:
    """Items per second over [started, ended]; 0 when nothing was measured."""
    span = ended - started
    return count / span if count and span > 0 else 0.0


def seconds_between(pairs: Iterable[tuple[datetime | None, datetime | None]]) -> list[float]:
    """``end - start`` in seconds for every pair where both are known."""
    return [
        (end - start).total_seconds()
        for start, end in pairs
        if start is not None and end is not None
    ]


def counts(values: Iterable[str]) -> dict[str, int]:
    """How often each value occurs, in first-seen order."""
    found: dict[str, int] = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found
