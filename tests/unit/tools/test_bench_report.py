"""What ``shop bench`` prints and writes, from figures alone."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tools.bench import baseline
from tools.bench.config import Mix
from tools.bench.invariants import InvariantResult
from tools.bench.report import baseline_meaning, draw_chart, print_report, write_json


def figures(**changes: Any) -> dict[str, Any]:
    ok = InvariantResult("nothing lost", True, 3).to_json()
    lost = InvariantResult(
        "nothing lost", False, 3, ("workflow/decisions: 1 message(s) in the DLQ",)
    )
    base: dict[str, Any] = {
        "command": "shop bench --orders 3",
        "config": {
            "orders": 3,
            "mix": "8:1:1",
            "fail_rate": 0.2,
            "duplicate_rate": 0.1,
            "concurrency": 4,
            "seed": 1,
            "approval_window_seconds": 20,
            "feedback_delay_seconds": 1,
        },
        "throughput": {"orders_per_second": 0.5, "orders": 3, "span_seconds": 6.0},
        "latency_seconds": {
            "resolution_seconds": 0.1,
            "placed_to_confirmation": {"count": 3, "p50": 1.2, "p95": 2.5, "max": 2.5},
            "approval_to_shipment": None,
        },
        "decisions": {
            "intended": {"approve": 1, "reject": 1, "timeout": 1},
            "effective": {"approve": 0, "reject": 1, "timeout": 2},
            "missed_window": 1,
            "late_for_the_workflow": 1,
            "late_and_timed_out": 1,
        },
        "retries": {
            "invocations": 40,
            "failed_invocations": 8,
            "sqs_redeliveries": 9,
            "duplicated_events": 2,
            "client_http_retries": 1,
        },
        "dlq": {
            "before_redrive": {"workflow/decisions": 1},
            "redriven": 1,
            "after_redrive": {"workflow/decisions": 0},
        },
        "invariants": {"first_pass": [lost.to_json()], "after_redrive": [ok]},
        "baseline": {"executions": 3, "throughput_per_second": 1.0, "wall_seconds": 3.0},
        "overhead": {"throughput_ratio": 0.5},
        "ok": True,
    }
    return {**base, **changes}


def test_the_report_shows_figures_both_verdicts_and_the_outcome() -> None:
    out = io.StringIO()

    print_report(figures(), out)

    text = out.getvalue()
    assert "0.50 orders/s to their terminal state" in text
    assert "ours / bare = 0.50" in text
    assert "p50   1.20 s   p95   2.50 s" in text
    assert "approval POST -> shipment email      (none measured)" in text
    assert "workflow/decisions                      1 -> 0 after redrive" in text
    assert "FAIL  nothing lost" in text
    assert "- workflow/decisions: 1 message(s) in the DLQ" in text
    assert "Invariants after one redrive" in text
    assert text.rstrip().endswith("every invariant holds")


def test_a_run_without_baseline_or_redrive_still_reports() -> None:
    out = io.StringIO()
    first = [InvariantResult("nothing lost", True, 3).to_json()]

    print_report(
        figures(
            baseline=None,
            overhead=None,
            dlq={"before_redrive": {"workflow/decisions": 0}, "redriven": 0, "after_redrive": None},
            invariants={"first_pass": first, "after_redrive": None},
        ),
        out,
    )

    assert "bare state machine" not in out.getvalue()
    assert "after redrive" not in out.getvalue()


def test_figures_are_written_as_json(tmp_path: Path) -> None:
    path = tmp_path / "bench" / "latest.json"

    write_json(figures(), path)

    assert json.loads(path.read_text())["throughput"]["orders"] == 3


def test_the_chart_is_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "latency.png"

    assert draw_chart({"a": [0.5, 1.0, 2.0], "b": []}, "three orders", path)

    assert path.read_bytes().startswith(b"\x89PNG")


def test_the_baseline_line_says_what_was_compared_and_what_the_ratio_means() -> None:
    out = io.StringIO()
    bare = {"executions": 3, "ended": 3, "throughput_per_second": 1.0, "wall_seconds": 3.0}

    print_report(figures(baseline=bare, overhead={"throughput_ratio": 0.5}), out)

    text = out.getvalue()
    assert "3 ended in 3.0 s; same mix and clients, each following an answered execution" in text
    assert "in a process of its own" in text
    assert "ends orders at 0.50x the rate moto's bare state machine ends" in text
    assert "cut throughput to 50% of what the workflow alone allows" in text


def test_a_ratio_of_one_or_more_says_the_services_cost_no_throughput() -> None:
    assert "cost no throughput beyond the workflow" in baseline_meaning(1.2)
    assert "not a forecast for AWS" in baseline_meaning(1.2)


def test_the_baseline_runs_as_its_own_process_with_the_bench_settings() -> None:
    argv = baseline.command(
        50,
        concurrency=8,
        mix=Mix.parse("8:1:1"),
        seed=3,
        approval_window_seconds=30,
        feedback_delay_seconds=1,
    )

    assert argv[1:3] == ["-m", "tools.bench.baseline"]
    assert "--executions=50" in argv
    assert "--mix=8:1:1" in argv
    assert "--approval-window=30" in argv
    assert "--feedback-delay=1" in argv
