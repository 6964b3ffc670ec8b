"""How long each function's handler runs per invocation during a bench, for ``shop cost``.

The timer wraps each local function's handler, inside the runtime's one-at-a-time lock, so
it measures what Lambda would bill (the handler's own run) and not the wait for a busy
environment. On the local stack every AWS call goes to moto over loopback HTTP on a shared
machine: the figures are that run's, an upper bound for the same code next to real services
rather than a prediction of them.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Mapping
from typing import Any

from local.lambda_runtime import Handler, LocalFunction
from tools.bench.stats import percentile

SECTION = "handler_durations_ms"  # the bench JSON's key, read by tools/cost/durations.py


def records_in(event: Any) -> int:
    """How many records (SQS messages, stream records) an invocation carried; 1 otherwise."""
    records = event.get("Records") if isinstance(event, dict) else None
    return len(records) if isinstance(records, list) and records else 1


class HandlerTimer:
    """Per function (``service/function``), the milliseconds of every handler call and the
    records it carried: a busy bench fills batches that a quiet production queue would not, so
    the cost model reads the time per record."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.records: dict[str, int] = {}
        self._lock = threading.Lock()

    def attach(self, functions: Mapping[str, LocalFunction]) -> None:
        for name, function in functions.items():
            function.handler = self.timed(name, function.handler)

    def timed(self, name: str, handler: Handler) -> Handler:
        def run(event: dict[str, Any], context: Any) -> Any:
            started = time.perf_counter()
            try:
                return handler(event, context)
            finally:
                self.record(name, (time.perf_counter() - started) * 1000, records_in(event))

        return run

    def record(self, name: str, ms: float, records: int = 1) -> None:
        with self._lock:
            self.samples.setdefault(name, []).append(ms)
            self.records[name] = self.records.get(name, 0) + records

    def to_json(self) -> dict[str, dict[str, float | int]]:
        """Invocations, records, mean per record (what ``shop cost`` reads), mean per
        invocation (what the bill sums), median and p95 per function."""
        with self._lock:
            samples = {name: list(values) for name, values in self.samples.items()}
            records = dict(self.records)
        return {
            name: {
                "invocations": len(values),
                "records": records[name],
                "mean_ms_per_record": round(sum(values) / records[name], 2),
                "mean_ms": round(statistics.fmean(values), 2),
                "median_ms": round(statistics.median(values), 2),
                "p95_ms": round(percentile(values, 95), 2),
            }
            for name, values in sorted(samples.items())
            if values
        }
