"""The bench's handler timer: per function, what each handler call took."""

from __future__ import annotations

from typing import Any

import pytest

from local.lambda_runtime import InvocationError, LocalFunction
from services.orders.wiring import WIRING
from tools.bench.durations import HandlerTimer


def test_each_call_is_recorded_under_its_function_and_summarised() -> None:
    timer = HandlerTimer()
    for ms in (10.0, 20.0, 30.0, 100.0):
        timer.record("orders/api", ms)
    timer.record("notifications/email", 5.0)

    figures = timer.to_json()

    assert figures["orders/api"] == {
        "invocations": 4,
        "mean_ms": 40.0,
        "median_ms": 25.0,
        "p95_ms": 100.0,
    }
    assert figures["notifications/email"]["invocations"] == 1


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

    assert function.invoke({"n": 1}, trigger="test") == "ok"
    with pytest.raises(InvocationError):
        function.invoke({"fail": True}, trigger="test")

    assert len(calls) == 2
    assert timer.to_json()[function.qualified_name]["invocations"] == 2
