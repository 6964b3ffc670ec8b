"""docs/asyncapi.yaml: generated, current, valid for the official parser, true to the examples."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from moto.events.models import EventPattern
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from events.models import ALL_EVENTS
from tests.contract.files import example_files, read_json
from tests.contract.shipped_v2 import publish_shipped_v2
from tests.support.paths import REPO_ROOT
from tools.contract.asyncapi import (
    ASYNCAPI_PATH,
    generate_asyncapi,
    message_key,
    render_asyncapi,
)
from tools.contract.schemas import committed_versions, format_checker

CHECKER_DIR = REPO_ROOT / "tools" / "asyncapi-check"
DOCUMENT_URI = "urn:shop:asyncapi"


def run_official_parser(document: Path) -> subprocess.CompletedProcess[str]:
    """``@asyncapi/parser`` on a document, through tools/asyncapi-check/check.mjs."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the AsyncAPI parser"
    assert (CHECKER_DIR / "node_modules" / "@asyncapi" / "parser").is_dir(), (
        "the AsyncAPI parser is not installed: run `make test` (or `npm ci` in "
        "tools/asyncapi-check)"
    )
    return subprocess.run(
        [node, str(CHECKER_DIR / "check.mjs"), str(document)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(ASYNCAPI_PATH.read_text(encoding="utf-8"))
    return document


def test_asyncapi_document_is_up_to_date() -> None:
    assert ASYNCAPI_PATH.exists(), "docs/asyncapi.yaml is missing: run `make schemas`"
    assert ASYNCAPI_PATH.read_text(encoding="utf-8") == render_asyncapi(), (
        "docs/asyncapi.yaml is stale: run `make schemas`"
    )


def test_official_parser_accepts_the_document() -> None:
    result = run_official_parser(ASYNCAPI_PATH)

    assert result.returncode == 0, f"@asyncapi/parser rejects docs/asyncapi.yaml:\n{result.stdout}"
    assert "valid: AsyncAPI 3.0.0" in result.stdout


def test_official_parser_reports_a_broken_document(tmp_path: Path) -> None:
    document = load_document()
    channel = document["channels"]["OrderShipped"]
    channel["messages"]["OrderShipped.v1"]["$ref"] = "#/components/messages/NoSuchMessage"
    broken = tmp_path / "asyncapi.yaml"
    broken.write_text(yaml.safe_dump(document), encoding="utf-8")

    result = run_official_parser(broken)

    assert result.returncode == 1
    assert "NoSuchMessage" in result.stdout


def test_every_published_version_is_a_message_on_its_event_channel() -> None:
    document = load_document()

    for event in ALL_EVENTS:
        channel = document["channels"][event.detail_type]
        keys = [message_key(event.detail_type, v) for v in committed_versions(event.detail_type)]
        assert list(channel["messages"]) == keys
        assert channel["x-eventbridge-rule"]["EventPattern"] == {
            "source": [event.source],
            "detail-type": [event.detail_type],
        }
        assert all(k in document["components"]["messages"] for k in keys)


@pytest.mark.parametrize("example", example_files(), ids=lambda p: p.name)
def test_every_example_is_in_the_document_and_fits_its_message(example: Path) -> None:
    document = load_document()
    detail_type, version, name, _ = example.name.split(".")
    message = document["components"]["messages"][f"{detail_type}.{version}"]
    event = read_json(example)

    shown = {e["name"]: e["payload"] for e in message["examples"]}
    registry: Registry[Any] = Registry().with_resource(
        DOCUMENT_URI, DRAFT202012.create_resource(document)
    )
    validator = Draft202012Validator(
        {"$ref": f"{DOCUMENT_URI}#/components/messages/{detail_type}.{version}/payload/schema"},
        registry=registry,
        format_checker=format_checker(),
    )
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(event)]

    assert shown[name] == event
    assert not errors
    for rule in (
        message["x-eventbridge-rule"],
        document["channels"][detail_type]["x-eventbridge-rule"],
    ):
        assert EventPattern.load(json.dumps(rule["EventPattern"])).matches_event(event)


def test_a_new_version_is_a_second_message_beside_the_first(tmp_path: Path) -> None:
    events = publish_shipped_v2(tmp_path)

    document = generate_asyncapi(events, schemas_dir=tmp_path)

    channel = document["channels"]["OrderShipped"]
    assert list(channel["messages"]) == ["OrderShipped.v1", "OrderShipped.v2"]
    v2 = document["components"]["messages"]["OrderShipped.v2"]
    assert v2["description"] == (
        "Version 2: changed from v1: `$.data.carrier` new required property."
    )
    assert v2["x-eventbridge-rule"]["EventPattern"]["detail"] == {
        "metadata": {"event_version": [2]}
    }
    assert document["info"]["version"] == "1.1.0"
