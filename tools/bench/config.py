"""What one bench run is asked to do."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

Decision = Literal["approve", "reject", "timeout"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)


@dataclass(frozen=True)
class Mix:
    """Relative shares of the owner's answers, e.g. 8:1:1 (approve:reject:timeout)."""

    approve: int = 8
    reject: int = 1
    timeout: int = 1

    @classmethod
    def parse(cls, text: str) -> Mix:
        parts = text.split(":")
        if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"{text!r} is not APPROVE:REJECT:TIMEOUT, e.g. 8:1:1")
        mix = cls(*(int(p) for p in parts))
        if mix.total == 0:
            raise ValueError("the mix needs at least one non-zero share")
        return mix

    @property
    def total(self) -> int:
        return self.approve + self.reject + self.timeout

    def __str__(self) -> str:
        return f"{self.approve}:{self.reject}:{self.timeout}"

    def assign(self, count: int, rng: random.Random) -> list[Decision]:
        """Exactly the mix's shares of ``count`` (largest remainder), in a seeded order."""
        shares = {"approve": self.approve, "reject": self.reject, "timeout": self.timeout}
        exact = {d: count * shares[d] / self.total for d in DECISIONS}
        counts = {d: int(exact[d]) for d in DECISIONS}
        by_remainder = sorted(DECISIONS, key=lambda d: exact[d] - counts[d], reverse=True)
        for decision in by_remainder[: count - sum(counts.values())]:
            counts[decision] += 1
        decisions: list[Decision] = [d for d in DECISIONS for _ in range(counts[d])]
        rng.shuffle(decisions)
        return decisions


@dataclass(frozen=True)
class BenchConfig:
    orders: int = 100
    fail_rate: float = 0.0
    duplicate_rate: float = 0.0
    mix: Mix = field(default_factory=Mix)
    # A closed loop: each client follows its order until its last email (it only does not
    # sit out an approval window it leaves to time out), so at most ``concurrency`` orders
    # are being worked on and no backlog can build up behind the clients.
    concurrency: int = 8
    seed: int = 1
    # Short, so the timeout share ends soon, but well above the owner's wait under load.
    approval_window_seconds: int = 30
    feedback_delay_seconds: int = 1
    # How soon a failed message comes back. Much shorter than AWS's (the queue's 60 s) so
    # retries show in seconds, but longer than a busy batch takes: a message whose batch is
    # still being handled when this runs out is delivered again, and under load that
    # snowballs (redeliveries make more work, which makes more redeliveries).
    visibility_timeout_seconds: int = 5
    # Faults an operator fears: the bus refusing PutEvents and SES refusing SendEmail for
    # this many seconds (from ``outage_start_seconds`` into the run), and a share of the
    # orders placed with SES's simulator address that always bounces.
    bus_outage_seconds: float = 0.0
    ses_outage_seconds: float = 0.0
    outage_start_seconds: float = 5.0
    bounce_rate: float = 0.0
    redrive: bool = True
    baseline: bool = True
    # Written only when asked (--json/--chart): the committed figures change on purpose.
    json_path: Path | None = None
    chart_path: Path | None = None
    max_seconds: float = 1800.0

    def __post_init__(self) -> None:
        if self.orders < 1:
            raise ValueError("--orders must be at least 1")
        if not 0 <= self.fail_rate < 1 or not 0 <= self.duplicate_rate <= 1:
            raise ValueError("--fail-rate must be in [0, 1) and --duplicate-rate in [0, 1]")
        if self.concurrency < 1:
            raise ValueError("--concurrency must be at least 1")
        if self.bus_outage_seconds < 0 or self.ses_outage_seconds < 0:
            raise ValueError("--bus-outage and --ses-outage are seconds, at least 0")
        if not 0 <= self.bounce_rate <= 1:
            raise ValueError("--bounce-rate must be in [0, 1]")

    @property
    def owner_wait_seconds(self) -> float:
        """How long a client waits for the owner's message before moving on (it may be in a
        DLQ; the recovery pass after a redrive picks the order up again)."""
        return self.approval_window_seconds + 20.0

    @property
    def settle_seconds(self) -> float:
        """The longest an order can still be moving after its owner's message arrived."""
        return self.approval_window_seconds + self.feedback_delay_seconds + 15.0
