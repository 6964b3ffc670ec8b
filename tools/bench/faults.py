"""The faults ``shop bench`` injects, and the counts it reports about them.

Handler failures go through the local Lambda runtime's ``before_invoke`` hook: the invocation
raises before the handler runs, as a crashed or timed-out Lambda would, so SQS redelivers the
batch after its visibility timeout, the stream retries its batch, and HTTP callers get the
500/502 API Gateway and Function URLs answer.

Duplicate delivery does not touch the runtime: ``EventDuplicator`` reads every event the bus
carried (through the stack's bus tap) and, with the given probability, puts the same event
(source, detail-type and detail, so the same ``metadata.event_id``) on the bus again. Every
rule then delivers it a second time to its queue, which is what a consumer sees when
EventBridge or SQS delivers at least once: the same event twice, in the same or another
batch, possibly while the first copy is being handled. Only EventBridge's own envelope id
differs, and no consumer reads it (they key on the order id and the event's own metadata).

Seeds make the sequence of random draws repeatable; which invocation gets which draw still
depends on thread timing, so two runs with one seed are alike, not identical.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections import Counter
from typing import Any

from local.bus_tap import BusTap
from local.lambda_runtime import LocalFunction

log = logging.getLogger("shop.bench")


class InjectedFailureError(RuntimeError):
    """Raised in place of a handler run."""


class FaultInjector:
    """A ``before_invoke`` hook: fails each invocation with probability ``fail_rate`` while
    enabled, and counts invocations, failures and SQS redeliveries per function."""

    def __init__(self, fail_rate: float, seed: int) -> None:
        self.fail_rate = fail_rate
        self.enabled = True
        self._rng = random.Random(seed)  # noqa: S311 - repeatable faults, not secrets
        self._lock = threading.Lock()
        self.invocations: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        # SQS records handed over again after a failed or timed-out receive.
        self.redelivered: Counter[str] = Counter()

    def __call__(self, function: LocalFunction, event: dict[str, Any]) -> None:
        name = function.qualified_name
        records = event.get("Records", [])
        again = sum(
            1
            for r in records
            if r.get("eventSource") == "aws:sqs"
            and int(r.get("attributes", {}).get("ApproximateReceiveCount", "1")) > 1
        )
        with self._lock:
            self.invocations[name] += 1
            self.redelivered[name] += again
            fail = self.enabled and self._rng.random() < self.fail_rate
            if fail:
                self.failures[name] += 1
        if fail:
            raise InjectedFailureError(f"injected failure in {name}")


class EventDuplicator:
    """Puts a share of the bus's events on the bus a second time (see the module doc)."""

    def __init__(
        self,
        tap: BusTap,
        events: Any,
        bus_name: str,
        rate: float,
        seed: int,
        *,
        interval_seconds: float = 0.1,
    ) -> None:
        self._tap = tap
        self._events = events
        self._bus = bus_name
        self.rate = rate
        self._rng = random.Random(seed)  # noqa: S311 - repeatable faults, not secrets
        self._interval = interval_seconds
        self._cursor = 0
        self._seen: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.duplicated: Counter[str] = Counter()  # by detail-type
        self.errors = 0

    def poll_once(self) -> int:
        """Look at the events tapped since the last look; returns how many were put again."""
        tapped = self._tap.collect()
        fresh, self._cursor = tapped[self._cursor :], len(tapped)
        again = 0
        for event in fresh:
            key = str(event.detail.get("metadata", {}).get("event_id") or json.dumps(event.detail))
            if key in self._seen:
                continue  # our own copy coming back past the tap
            self._seen.add(key)
            if self._rng.random() >= self.rate:
                continue
            try:
                self._events.put_events(
                    Entries=[
                        {
                            "EventBusName": self._bus,
                            "Source": event.source,
                            "DetailType": event.detail_type,
                            "Detail": json.dumps(event.detail),
                        }
                    ]
                )
            except Exception:  # a lost duplicate is no fault of the system under test
                log.exception("could not put a duplicate %s", event.detail_type)
                self.errors += 1
                continue
            self.duplicated[event.detail_type] += 1
            again += 1
        return again

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="bench-duplicator", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.poll_once()
            except Exception:  # keep duplicating through a flaky moment
                log.exception("duplicator poll failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
