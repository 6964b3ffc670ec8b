"""The bench's faults, with fakes: invocations that fail before the handler, and bus events
put on the bus a second time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from local.bus_tap import TappedEvent
from tools.bench.faults import EventDuplicator, FaultInjector, InjectedFailureError


@dataclass
class FakeFunction:
    qualified_name: str = "notifications/email"


def sqs_batch(*receive_counts: int) -> dict[str, Any]:
    return {
        "Records": [
            {"eventSource": "aws:sqs", "attributes": {"ApproximateReceiveCount": str(n)}}
            for n in receive_counts
        ]
    }


def outcomes(injector: FaultInjector, times: int) -> list[bool]:
    failed = []
    for _ in range(times):
        try:
            injector(FakeFunction(), sqs_batch(1))  # type: ignore[arg-type]
            failed.append(False)
        except InjectedFailureError:
            failed.append(True)
    return failed


def test_failures_follow_the_rate_and_the_seed() -> None:
    first = outcomes(FaultInjector(0.2, seed=3), 2000)

    assert 300 < sum(first) < 500
    assert outcomes(FaultInjector(0.2, seed=3), 2000) == first


def test_no_failures_at_rate_zero_or_once_disabled() -> None:
    assert not any(outcomes(FaultInjector(0.0, seed=1), 200))
    injector = FaultInjector(0.99, seed=1)
    injector.enabled = False
    assert not any(outcomes(injector, 200))


def test_invocations_failures_and_redeliveries_are_counted_per_function() -> None:
    injector = FaultInjector(0.0, seed=1)

    injector(FakeFunction(), sqs_batch(1, 2, 3))  # type: ignore[arg-type]
    injector(FakeFunction("orders/api"), {"rawPath": "/orders"})  # type: ignore[arg-type]

    assert injector.invocations == {"notifications/email": 1, "orders/api": 1}
    assert injector.redelivered["notifications/email"] == 2
    assert sum(injector.failures.values()) == 0


class FakeTap:
    def __init__(self, events: list[TappedEvent]) -> None:
        self.events = events

    def collect(self) -> list[TappedEvent]:
        return list(self.events)


class FakeEvents:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.entries.extend(Entries)
        return {"FailedEntryCount": 0}


def event(event_id: str, detail_type: str = "OrderPlaced") -> TappedEvent:
    detail = {"metadata": {"event_id": event_id, "correlation_id": "ord_1"}, "data": {}}
    return TappedEvent(detail_type, "shop.orders", "2026-01-01T00:00:00Z", detail)


def test_every_event_is_put_again_at_rate_one_with_the_same_detail() -> None:
    tap, bus = FakeTap([event("e1"), event("e2", "OrderShipped")]), FakeEvents()
    duplicator = EventDuplicator(tap, bus, "shop", rate=1.0, seed=1)  # type: ignore[arg-type]

    assert duplicator.poll_once() == 2

    assert [e["DetailType"] for e in bus.entries] == ["OrderPlaced", "OrderShipped"]
    assert json.loads(bus.entries[0]["Detail"]) == event("e1").detail
    assert {e["EventBusName"] for e in bus.entries} == {"shop"}
    assert duplicator.duplicated == {"OrderPlaced": 1, "OrderShipped": 1}


def test_a_duplicate_coming_back_past_the_tap_is_not_duplicated_again() -> None:
    tap, bus = FakeTap([event("e1")]), FakeEvents()
    duplicator = EventDuplicator(tap, bus, "shop", rate=1.0, seed=1)  # type: ignore[arg-type]
    duplicator.poll_once()

    tap.events.append(event("e1"))  # our own copy, tapped in turn
    assert duplicator.poll_once() == 0
    assert len(bus.entries) == 1


@pytest.mark.parametrize("rate", [0.0, 0.1])
def test_the_rate_decides_once_per_event(rate: float) -> None:
    tap, bus = FakeTap([event(f"e{i}") for i in range(1000)]), FakeEvents()
    duplicator = EventDuplicator(tap, bus, "shop", rate=rate, seed=5)  # type: ignore[arg-type]

    duplicator.poll_once()
    duplicator.poll_once()

    assert len(bus.entries) == pytest.approx(1000 * rate, abs=40)
