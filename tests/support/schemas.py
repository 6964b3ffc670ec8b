"""Checks an emitted event against the committed, published schema of its type."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "events" / "schemas"


@cache
def validator(detail_type: str, version: int) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{detail_type}.v{version}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_matches_schema(detail_type: str, detail: dict[str, Any]) -> None:
    version = int(detail["metadata"]["event_version"])
    errors = sorted(validator(detail_type, version).iter_errors(detail), key=str)
    assert not errors, f"{detail_type} v{version} breaks its schema: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )
