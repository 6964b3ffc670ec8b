"""An order's timeline (``GET /orders/{id}/timeline``) as lines for a terminal."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def timeline_lines(body: dict[str, Any], *, since: datetime | None = None) -> list[str]:
    """One line per step: its time (or seconds since ``since``) and its sentence, then how
    long the timeline is kept."""
    lines = []
    for step in body["steps"]:
        at = datetime.fromisoformat(step["at"])
        when = (
            f"+{(at - since).total_seconds():6.1f}s" if since else at.strftime("%H:%M:%S.%f")[:-3]
        )
        lines.append(f"{when}  {step['text']}")
    expires = body.get("expires_at")
    lines.append(f"kept until {expires}" if expires else "kept with the order")
    return lines
