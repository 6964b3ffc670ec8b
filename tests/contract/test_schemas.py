"""The committed schemas are exactly what the models generate, and are named for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from events.models import ALL_EVENTS, EVENTS_BY_DETAIL_TYPE, SCHEMA_DIALECT, Event
from tests.contract.files import read_json, schema_files
from tools.contract.schema_gen import SCHEMA_BASE_URL, generate_schema, render
from tools.contract.schemas import SCHEMA_FILE, SCHEMAS_DIR, committed_versions, schema_file_name


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.detail_type)
def test_committed_schema_equals_the_generated_one(event: type[Event]) -> None:
    name = schema_file_name(event.detail_type, event.version)
    path = SCHEMAS_DIR / name
    assert path.exists(), f"events/schemas/{name} is missing: run `make schemas`"
    committed = path.read_text(encoding="utf-8")
    assert committed == render(generate_schema(event)), (
        f"events/schemas/{name} is stale: run `make schemas`"
    )


@pytest.mark.parametrize("path", schema_files(), ids=lambda p: p.name)
def test_schema_is_valid_json_schema_2020_12(path: Path) -> None:
    schema = read_json(path)
    assert schema["$schema"] == SCHEMA_DIALECT
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", schema_files(), ids=lambda p: p.name)
def test_schema_id_and_file_name_match_the_event(path: Path) -> None:
    match = SCHEMA_FILE.match(path.name)
    assert match, f"events/schemas/{path.name} is not named <DetailType>.v<N>.json"
    detail_type, version = match["detail_type"], int(match["version"])
    assert detail_type in EVENTS_BY_DETAIL_TYPE, f"{path.name}: no event {detail_type!r}"
    event = EVENTS_BY_DETAIL_TYPE[detail_type]
    assert version <= event.version, (
        f"{path.name} is newer than the {detail_type} model (version {event.version})"
    )
    schema = read_json(path)
    assert schema["$id"] == f"{SCHEMA_BASE_URL}{path.name}"
    assert schema["title"] == schema["x-detail-type"] == detail_type
    assert schema["x-version"] == version
    if version == event.version:
        assert schema["x-source"] == event.source
        assert schema["x-consumers"] == list(event.consumers)


def test_every_event_has_a_source_of_its_service_and_a_past_tense_name() -> None:
    for event in ALL_EVENTS:
        assert event.source.startswith("shop."), event.source
        assert event.detail_type[0].isupper(), event.detail_type
        assert committed_versions(event.detail_type)[-1] == event.version
