"""The shop's published example events, as our tests read them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

# The shop publishes its example events (every version) beside its schemas; another team
# would point this at their copy of the shop's contract.
SHOP_EXAMPLES = Path(
    os.environ.get(
        "SHOP_EVENT_EXAMPLES", Path(__file__).resolve().parents[3] / "events" / "examples"
    )
)
READ_EVENTS = ("OrderShipped", "OrderCancelled")


def shop_examples(*detail_types: str) -> list[Path]:
    """Every published example of the events, every version."""
    found = [p for t in detail_types for p in sorted(SHOP_EXAMPLES.glob(f"{t}.v*.json"))]
    assert found, f"no shop examples in {SHOP_EXAMPLES}"
    return found


def read_example(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return event
