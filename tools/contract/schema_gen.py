"""Generates ``events/schemas/<DetailType>.v<N>.json`` from the event models.

``python -m tools.contract.schema_gen`` (or ``make schemas``) writes the schema of every event in
``events.models.ALL_EVENTS``, at the version its model declares. Older versions stay
committed beside it, untouched: they are what older consumers were built on.

Which pydantic mode: **validation**. A published schema is used to *validate* events: other
teams check what they receive against it, our tests check every emitted event and example
against it, and our consumers parse with these same models. So the schema must describe what
a consumer accepts, which is what validation mode describes. Serialization mode describes
what ``model_dump_json`` happens to write; where the two differ it is the narrower, producer-
side view (with ``json_schema_serialization_defaults_required`` it would make ``decision`` and
``comment`` required, rejecting the minimal examples and events the state machine builds
with intrinsic functions, which omit optional fields; computed fields and custom serializers
would appear only there). For today's models both modes give the same schema, and a contract
test checks the serialization side anyway: every example, re-serialised by its model, still
validates.

A committed version is a published contract: regenerating it with a breaking change (see
``tools.contract.compat``) is refused, and the message says to raise the model's ``version``.
``--allow-breaking`` overrides that for a draft that has never been committed.

Output is deterministic (sorted keys, two-space indent, trailing newline) so that the
contract test can compare text and diffs stay readable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from events.models import ALL_EVENTS, SCHEMA_DIALECT, Event
from tools.contract.compat import Breaking, breaking_changes
from tools.contract.schemas import SCHEMAS_DIR, schema_file_name

SCHEMA_BASE_URL = "https://schemas.shop.example/events/"


class BreakingChangeError(Exception):
    """A model changed one of its committed schema versions in a breaking way."""

    def __init__(self, breaks: dict[str, list[Breaking]]) -> None:
        self.breaks = breaks
        super().__init__(
            "\n".join(explain_breaking(name, changes) for name, changes in breaks.items())
        )


def explain_breaking(file_name: str, changes: Sequence[Breaking]) -> str:
    detail_type = file_name.split(".", 1)[0]
    listed = "\n".join(f"  - {change}" for change in changes)
    return (
        f"events/schemas/{file_name} would change in a breaking way:\n{listed}\n"
        f"  Raise `version` on the {detail_type} model: the committed version stays for "
        "existing consumers, and the new one gets its own schema file."
    )


def schema_id(event: type[Event]) -> str:
    return f"{SCHEMA_BASE_URL}{schema_file_name(event.detail_type, event.version)}"


def generate_schema(event: type[Event]) -> dict[str, Any]:
    """The JSON Schema of one event's ``detail``, as committed (a plain JSON value)."""
    schema = event.model_json_schema(mode="validation")
    schema.update(
        {
            "$schema": SCHEMA_DIALECT,
            "$id": schema_id(event),
            "title": event.detail_type,
            "description": event.description,
            "x-detail-type": event.detail_type,
            "x-source": event.source,
            "x-version": event.version,
            "x-consumers": list(event.consumers),
        }
    )
    # Through JSON and back: the result compares equal to a schema loaded from its file.
    generated: dict[str, Any] = json.loads(json.dumps(schema))
    return generated


def generate_schemas(events: Iterable[type[Event]] = ALL_EVENTS) -> dict[str, dict[str, Any]]:
    """The schema of every event at its current version, by file name."""
    return {schema_file_name(e.detail_type, e.version): generate_schema(e) for e in events}


def render(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(
    directory: Path = SCHEMAS_DIR,
    events: Iterable[type[Event]] = ALL_EVENTS,
    *,
    allow_breaking: bool = False,
) -> list[Path]:
    """Write every schema that changed; return those paths. Nothing is written on refusal."""
    pending: dict[Path, str] = {}
    refused: dict[str, list[Breaking]] = {}
    for name, schema in generate_schemas(events).items():
        path = directory / name
        text = render(schema)
        if path.exists():
            current = path.read_text(encoding="utf-8")
            if current == text:
                continue
            changes = breaking_changes(json.loads(current), schema)
            if changes and not allow_breaking:
                refused[name] = changes
                continue
        pending[path] = text
    if refused:
        raise BreakingChangeError(refused)
    directory.mkdir(parents=True, exist_ok=True)
    for path, text in pending.items():
        path.write_text(text, encoding="utf-8")
    return list(pending)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contract.schema_gen",
        description="Write events/schemas/ from the models.",
    )
    parser.add_argument("--directory", type=Path, default=SCHEMAS_DIR)
    parser.add_argument(
        "--allow-breaking",
        action="store_true",
        help="overwrite a schema version even with breaking changes (uncommitted drafts only)",
    )
    args = parser.parse_args(argv)
    try:
        written = write_schemas(args.directory, allow_breaking=args.allow_breaking)
    except BreakingChangeError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    if not written:
        print(f"schemas in {args.directory} are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
