"""The committed contract files, as the contract tests find them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from events.models import EVENTS_BY_DETAIL_TYPE, Event
from tools.contract.catalogue import EXAMPLES_DIR
from tools.contract.schemas import SCHEMAS_DIR


def schema_files() -> list[Path]:
    return sorted(SCHEMAS_DIR.glob("*.json"))


def example_files() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("*.json"))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def example_event(path: Path) -> tuple[type[Event], int, str]:
    """The event model, schema version and name an example file is named for."""
    detail_type, version, name, _json = path.name.split(".")
    return EVENTS_BY_DETAIL_TYPE[detail_type], int(version.removeprefix("v")), name


def current_examples() -> list[Path]:
    """Examples of the version each model emits now (older ones are history)."""
    current = []
    for path in example_files():
        event, version, _name = example_event(path)
        if event.version == version:
            current.append(path)
    return current
