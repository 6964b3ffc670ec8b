"""Every example is a real EventBridge delivery that producers may send and consumers accept."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from events.models import ALL_EVENTS, Event
from services.common.envelope import parse_record
from tests.contract.files import current_examples, example_event, example_files, read_json
from tests.support.events import sqs_record
from tools.contract.schemas import (
    SchemaViolation,
    format_checker,
    load_schema,
    schema_errors,
    validate_detail,
)

ENVELOPE_KEYS = {
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
}


def _ids(path: Path) -> str:
    return path.name.removesuffix(".json")


@pytest.mark.parametrize("path", example_files(), ids=_ids)
def test_example_validates_against_its_schema(path: Path) -> None:
    event, version, _name = example_event(path)
    errors = schema_errors(event.detail_type, read_json(path)["detail"], version)
    assert not errors, f"events/examples/{path.name} does not validate: " + "; ".join(errors)


@pytest.mark.parametrize("path", current_examples(), ids=_ids)
def test_consumers_accept_example(path: Path) -> None:
    # The path every consumer takes: SQS record -> EventBridge envelope -> the event's model.
    event_model, _version, _name = example_event(path)
    record = SQSRecord(sqs_record(path.read_text(encoding="utf-8")))
    event = parse_record(record, accepts=(event_model,))
    assert isinstance(event, event_model)


@pytest.mark.parametrize("path", current_examples(), ids=_ids)
def test_example_republished_by_its_model_still_validates(path: Path) -> None:
    # What a producer writes (model_dump_json) is inside the schema too.
    event_model, version, _name = example_event(path)
    event = event_model.model_validate(read_json(path)["detail"])
    validate_detail(event.detail_type, json.loads(event.detail_json()), version)


@pytest.mark.parametrize("path", example_files(), ids=_ids)
def test_example_is_a_consistent_eventbridge_delivery(path: Path) -> None:
    event, version, _name = example_event(path)
    example = read_json(path)
    assert set(example) == ENVELOPE_KEYS
    assert example["version"] == "0"
    uuid.UUID(example["id"])
    assert example["detail-type"] == event.detail_type
    assert example["source"] == event.source
    assert re.fullmatch(r"[0-9]{12}", example["account"])
    assert re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", example["region"])
    assert isinstance(example["resources"], list)
    metadata, data = example["detail"]["metadata"], example["detail"]["data"]
    assert metadata["event_version"] == version
    assert metadata["correlation_id"] == data["order_id"]
    # The publisher sets the entry's Time to occurred_at; EventBridge keeps whole seconds.
    occurred = datetime.fromisoformat(metadata["occurred_at"])
    assert example["time"] == occurred.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("path", current_examples(), ids=_ids)
def test_example_totals_add_up(path: Path) -> None:
    data = read_json(path)["detail"]["data"]
    if "items" in data:
        items = data["items"]
        assert Decimal(data["total"]) == sum(
            Decimal(i["unit_price"]) * i["quantity"] for i in items
        )


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.detail_type)
def test_every_event_has_a_minimal_and_a_full_example(event: type[Event]) -> None:
    examples = _examples_of(event)
    assert {"minimal", "full"} <= set(examples), f"{event.detail_type}: {sorted(examples)}"
    schema = load_schema(event.detail_type)
    minimal = _present_paths(examples["minimal"]["detail"])
    full = _present_paths(examples["full"]["detail"])
    assert minimal == _paths(schema, schema, "", only_required=True), (
        "the minimal example holds the required fields only"
    )
    assert full >= _paths(schema, schema, "", only_required=False), (
        "the full example holds every field"
    )
    if "items" in examples["full"]["detail"]["data"]:
        assert len(examples["full"]["detail"]["data"]["items"]) > 1, "several line items"


def _examples_of(event: type[Event]) -> dict[str, Any]:
    """The current examples of an event, by name."""
    found = {}
    for path in current_examples():
        model, _version, name = example_event(path)
        if model is event:
            found[name] = read_json(path)
    return found


def _paths(
    schema: dict[str, Any], node: dict[str, Any], prefix: str, only_required: bool
) -> set[str]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if node.get("type") == "array":
        return _paths(schema, node["items"], prefix + "[]", only_required)
    found: set[str] = set()
    for name, prop in node.get("properties", {}).items():
        if only_required and name not in node.get("required", []):
            continue
        path = f"{prefix}.{name}"
        found |= {path} | _paths(schema, prop, path, only_required)
    return found


def _present_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, list):
        return set().union(*(_present_paths(v, prefix + "[]") for v in value))
    if not isinstance(value, dict):
        return set()
    found: set[str] = set()
    for name, inner in value.items():
        found |= {f"{prefix}.{name}"} | _present_paths(inner, f"{prefix}.{name}")
    return found


# --- the format checker really checks the contract's formats -------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "ada@@example.com"),
        ("email", "ada@localhost"),
        ("date-time", "2025-03-14T09:26:53"),  # naive: no offset
        ("date-time", "14/03/2025 09:26"),
        ("uuid", "not-a-uuid"),
        ("uuid", "d63c0c8c8ff34dbeb26c706e5a7f70d9"),  # hex without hyphens
    ],
)
def test_format_checker_rejects_bad_values(field: str, value: str) -> None:
    assert not format_checker().conforms(value, field)


def test_schema_validation_reports_bad_formats_with_their_paths() -> None:
    detail = read_json(example_files()[0])["detail"]
    event, version, _name = example_event(example_files()[0])
    detail["metadata"]["event_id"] = "42"
    detail["metadata"]["occurred_at"] = "2025-03-14T09:26:53"
    with pytest.raises(SchemaViolation) as raised:
        validate_detail(event.detail_type, detail, version)
    assert "$.metadata.event_id: '42' is not a 'uuid'" in str(raised.value)
    assert "$.metadata.occurred_at" in str(raised.value)


def test_customer_email_is_checked_like_the_models_check_it() -> None:
    path = next(p for p in current_examples() if p.name == "OrderPlaced.v1.minimal.json")
    detail = read_json(path)["detail"]
    detail["data"]["customer"]["email"] = "ada.lovelace@example"
    errors = schema_errors("OrderPlaced", detail)
    assert errors == ["$.data.customer.email: 'ada.lovelace@example' is not a 'email'"]
