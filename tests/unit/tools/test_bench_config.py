"""The decision mix and the run's settings of ``shop bench``."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tools.bench.config import BenchConfig, Mix


def test_mix_parses_approve_reject_timeout() -> None:
    assert Mix.parse("8:1:1") == Mix(8, 1, 1)
    assert Mix.parse("1:0:0") == Mix(1, 0, 0)
    assert str(Mix(3, 2, 1)) == "3:2:1"


@pytest.mark.parametrize("text", ["8:1", "a:b:c", "8:1:1:1", "0:0:0", "-1:1:1", ""])
def test_mix_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match=r"APPROVE:REJECT:TIMEOUT|at least one"):
        Mix.parse(text)


def test_assigned_decisions_follow_the_mix_exactly() -> None:
    decisions = Mix(8, 1, 1).assign(500, random.Random(1))

    assert Counter(decisions) == {"approve": 400, "reject": 50, "timeout": 50}


def test_remainders_go_to_the_largest_shares_first() -> None:
    decisions = Mix(8, 1, 1).assign(12, random.Random(1))

    assert Counter(decisions) == {"approve": 10, "reject": 1, "timeout": 1}
    assert len(Mix(1, 1, 1).assign(7, random.Random(1))) == 7


def test_the_seed_fixes_the_order_of_decisions() -> None:
    first = Mix().assign(50, random.Random(7))

    assert Mix().assign(50, random.Random(7)) == first
    assert Mix().assign(50, random.Random(8)) != first


@pytest.mark.parametrize(
    "changes",
    [
        {"orders": 0},
        {"fail_rate": 1.0},
        {"fail_rate": -0.1},
        {"duplicate_rate": 2},
        {"concurrency": 0},
    ],
)
def test_config_refuses_impossible_runs(changes: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        BenchConfig(**changes)  # type: ignore[arg-type]


def test_clients_wait_longer_than_the_approval_window() -> None:
    config = BenchConfig(approval_window_seconds=10, feedback_delay_seconds=1)

    assert config.owner_wait_seconds > config.approval_window_seconds
