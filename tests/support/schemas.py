"""Checks an emitted event against the committed, published schema of its type."""

from __future__ import annotations

from typing import Any

from tools.contract.schemas import validate_detail


def assert_matches_schema(detail_type: str, detail: dict[str, Any]) -> None:
    """Fail, listing every problem, unless ``detail`` matches the schema of its own version."""
    validate_detail(detail_type, detail, int(detail["metadata"]["event_version"]))
