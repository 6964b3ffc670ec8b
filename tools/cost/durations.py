"""How long each function runs per invocation, for the Lambda GB-second line.

A measured figure per handler is used when a bench JSON has one (``shop bench --json FILE``
records each handler's invocations under ``handler_durations_ms``; ``shop cost --durations
FILE`` reads it, by default the committed ``docs/bench/latest.json``, whose ``command`` field
says which run measured it); any handler it does not cover, and the other designs' extra
functions, get the documented assumption of 50 ms at the function's declared memory. The
report says which functions were measured and from which file.

The bench file is read leniently, since its other figures are not this model's business: a
mapping from ``"<service>/<function>"`` to a number of milliseconds, or to an object with
``mean_ms_per_record`` (preferred: the model prices one message per invocation, as on a quiet
queue, and the bill is the sum of durations), ``mean_ms``, ``median_ms``,
``p50_ms``, ``median`` or ``p50``, under one of the keys ``handler_durations_ms``,
``handler_durations``, ``handlers`` or ``durations_ms``.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local.paths import REPO_ROOT

DEFAULT_BENCH_FILE = REPO_ROOT / "docs" / "bench" / "latest.json"
ASSUMED_MS = 50.0
_SECTIONS = ("handler_durations_ms", "handler_durations", "handlers", "durations_ms")
_MEDIAN_KEYS = ("mean_ms_per_record", "mean_ms", "median_ms", "p50_ms", "median", "p50")


@dataclass(frozen=True)
class Durations:
    measured: dict[str, float] = field(default_factory=dict)
    source: str = f"assumed {ASSUMED_MS:g} ms per invocation (no bench figures)"
    assumed_ms: float = ASSUMED_MS

    def ms(self, function: str) -> float:
        return self.measured.get(function, self.assumed_ms)

    def is_measured(self, function: str) -> bool:
        return function in self.measured

    @property
    def measured_median_ms(self) -> float | None:
        return statistics.median(self.measured.values()) if self.measured else None


def _median(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        for key in _MEDIAN_KEYS:
            if isinstance(value.get(key), int | float) and not isinstance(value[key], bool):
                return float(value[key])
    return None


def parse_bench(document: Any) -> dict[str, float]:
    """Handler medians (ms) found in a bench document; empty when it has none."""
    if not isinstance(document, dict):
        return {}
    for section in _SECTIONS:
        table = document.get(section)
        if isinstance(table, dict):
            found = {
                str(name): ms
                for name, value in table.items()
                if "/" in str(name) and (ms := _median(value)) is not None and ms >= 0
            }
            if found:
                return found
    return {}


def load_durations(path: Path | None = DEFAULT_BENCH_FILE) -> Durations:
    if path is None or not path.is_file():
        return Durations()
    try:
        measured = parse_bench(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Durations(source=f"assumed {ASSUMED_MS:g} ms ({path} could not be read)")
    if not measured:
        return Durations(source=f"assumed {ASSUMED_MS:g} ms ({path} has no handler durations)")
    return Durations(
        measured=measured,
        source=f"measured per handler by {_measured_by(path)} (local stack on moto, an upper "
        f"bound); {ASSUMED_MS:g} ms elsewhere",
    )


def _measured_by(path: Path) -> str:
    try:
        command = json.loads(path.read_text(encoding="utf-8")).get("command")
    except (OSError, ValueError, AttributeError):
        command = None
    return f"`{command}` ({path.name})" if isinstance(command, str) else str(path)
