"""``shop cost`` from the command line: the table a user reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local.cli import main


def test_the_report_shows_both_designs_per_order_month_and_million(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["cost", "--orders-per-month", "100000", "--bench", str(tmp_path / "none.json")])

    out = capsys.readouterr().out
    assert code == 0
    assert "100,000 orders a month" in out
    assert "as of 2026-11-21" in out
    assert "x86_64" in out
    assert "assumed 50 ms" in out
    for text in ("per order", "per month (100,000 orders)", "per million orders", "all-Lambda"):
        assert text in out
    assert "approve: RequestApproval > EmitOrderShipped > WaitForFeedback" in out


def test_measured_durations_are_named_in_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bench = tmp_path / "latest.json"
    bench.write_text(json.dumps({"handlers": {"orders/api": {"median_ms": 21.0}}}), "utf-8")

    code = main(["cost", "--orders-per-month", "5000", "--bench", str(bench), "--details"])

    out = capsys.readouterr().out
    assert code == 0
    assert f"measured per handler by {bench}" in out
    assert "21 ms measured" in out


def test_durations_from_a_bench_json_name_the_run_that_measured_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bench = tmp_path / "run.json"
    timings = {"orders/api": {"invocations": 9, "mean_ms": 40.0, "median_ms": 21.0}}
    document = {"command": "shop bench --orders 50", "handler_durations_ms": timings}
    bench.write_text(json.dumps(document), "utf-8")

    code = main(["cost", "--orders-per-month", "5000", "--durations", str(bench), "--details"])

    out = capsys.readouterr().out
    assert code == 0
    assert "measured per handler by `shop bench --orders 50` (run.json)" in out
    assert "40 ms measured" in out  # the mean: the bill sums every invocation


def test_a_mix_that_is_not_three_shares_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--orders-per-month", "10", "--mix", "1:2"]) == 2
    assert "approve:reject:timeout" in capsys.readouterr().err
