"""Percentiles, latencies and throughput of ``shop bench``, on plain numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tools.bench.stats import counts, percentile, seconds_between, summarize, throughput


def test_percentile_is_a_measured_value_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100

    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 0) == 1.0


def test_percentile_ignores_the_order_of_its_input() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.4, 9.0, 0.2, 0.3], 95) == 9.0


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.5], 50) == percentile([7.5], 95) == 7.5


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], 101), ([1.0], -1)])
def test_percentile_refuses_what_it_cannot_answer(values: list[float], q: float) -> None:
    with pytest.raises(ValueError, match=r"no values|q must"):
        percentile(values, q)


def test_summary_has_count_p50_p95_and_max() -> None:
    summary = summarize([0.5, 1.0, 1.5, 2.0, 10.0])

    assert summary is not None
    assert (summary.count, summary.p50, summary.p95, summary.max) == (5, 1.5, 10.0, 10.0)
    assert summary.to_json() == {"count": 5, "p50": 1.5, "p95": 10.0, "max": 10.0}


def test_no_measurements_give_no_summary() -> None:
    assert summarize([]) is None


def test_latencies_skip_pairs_with_a_missing_end() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    pairs = [
        (t0, t0 + timedelta(seconds=1.5)),
        (t0, None),  # the email never came: not a latency of zero
        (None, t0),
        (t0, t0 + timedelta(milliseconds=100)),
    ]

    assert seconds_between(pairs) == [1.5, 0.1]


def test_throughput_is_items_per_second_over_the_span() -> None:
    assert throughput(500, 100.0, 350.0) == 2.0
    assert throughput(0, 100.0, 350.0) == 0.0
    assert throughput(10, 5.0, 5.0) == 0.0  # no span measured, no rate invented


def test_counts_keep_first_seen_order() -> None:
    assert counts(["recorded", "left", "recorded", "too_late"]) == {
        "recorded": 2,
        "left": 1,
        "too_late": 1,
    }
