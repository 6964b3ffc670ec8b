"""The bench's handler timer: per function, what each handler call took."""

from __future__ import annotations

from typing import Any

import pytest

from local.lambda_runtime import InvocationError, LocalFunction
from services.orders.wiring import WIRING
from tools.bench.durations import HandlerTimer, records_in


def test_each_call_is_recorded_under_its_function_and_summarised() -> None:
    timer = HandlerTimer()
    for ms in (10.0, 20.0, 30.0, 100.0):
        timer.record("orders/api", ms)
    timer.record("notifications/email", 30.0, records=3)

    figures = timer.to_json()

    assert figures["orders/api"] == {
        "invocations": 4,
        "records": 4,
        "mean_ms_per_record": 40.0,
        "mean_ms": 40.0,
        "median_ms": 25.0,
        "p95_ms": 100.0,
    }
    email = figures["notifications/email"]
    assert (email["invocations"], email["records"], email["mean_ms_per_record"]) == (1, 3, 10.0)


def test_records_are_counted_from_a_batch_and_one_otherwise() -> None:
    assert records_in({"Records": [{}, {}, {}]}) == 3
    assert records_in({"rawPath": "/orders"}) == 1
    assert records_in({"Records": []}) == 1


def test_attached_timer_times_the_handler_and_keeps_its_result_and_errors() -> None:
    calls: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> str:
        calls.append(event)
        if event.get("fail"):
            raise RuntimeError("boom")
        return "ok"

    function = LocalFunction(service="orders", spec=WIRING.functions[0], handler=handler)
    timer = HandlerTimer()
    timer.attach({function.qualified_name: function})

    assert function.invoke({"Records": [{}, {}]}, trigger="test") == "ok"
    with pytest.raises(InvocationError):
        function.invoke({"fail": True}, trigger="test")

    assert len(calls) == 2
    assert timer.to_json()[function.qualified_name]["invocations"] == 2
    assert timer.to_json()[function.qualified_name]["records"] == 3
