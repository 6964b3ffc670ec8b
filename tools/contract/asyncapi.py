"""Generates ``docs/asyncapi.yaml``, the AsyncAPI 3.0 description of the shop's events.

``python -m tools.contract.asyncapi`` (part of ``make schemas``) writes it; a contract test
fails when the committed file is stale and another runs the official AsyncAPI parser on it.

What it says, for a team that wants to build on our events:

- the server is the EventBridge bus (found in an account through its SSM parameters);
- one channel per event (``events.models.ALL_EVENTS``, in the journey's order) with its
  ``source``, ``detail-type`` and the rule pattern a subscriber puts on the bus
  (``x-eventbridge-rule``; AsyncAPI has no EventBridge binding);
- one message per *published* version of the event, whose payload is the whole EventBridge
  event a rule delivers: the envelope, with ``detail`` being the committed JSON Schema of that
  version (``events/schemas/<Name>.v<N>.json``), embedded through AsyncAPI's multi-format
  schema object; and every example of that version (``events/examples/``).

The committed schemas are embedded as they are, except that their local ``$ref``s
(``#/$defs/...``) are rewritten to point at the same definitions inside this document, and
their ``$id`` / ``$schema`` are kept as annotations (``x-schema-id``, ``x-schema-dialect``):
a document-wide resolver would otherwise resolve the refs against the document root.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from events.models import ALL_EVENTS, Event
from local.paths import REPO_ROOT
from tools.contract.catalogue import EXAMPLES_DIR, version_changes, write_if_changed
from tools.contract.schemas import SCHEMAS_DIR, committed_versions, load_schema, schema_file_name

ASYNCAPI_PATH = REPO_ROOT / "docs" / "asyncapi.yaml"
ASYNCAPI_VERSION = "3.0.0"
# The committed schemas are JSON Schema 2020-12; the multi-format schema object names the
# JSON Schema format by the draft AsyncAPI 3.0 lists. The keywords we use (``$defs``,
# ``const``, ``format``, ``pattern``, ``anyOf``) mean the same in both.
SCHEMA_FORMAT = "application/schema+json;version=draft-07"
SERVER = "eventbridge"
BUS_NAME = "shop"
# Where a deployed bus can be found without CloudFormation exports (infra.naming).
BUS_PARAMETERS = {"name": "/shop/{stage}/bus/name", "arn": "/shop/{stage}/bus/arn"}

# What EventBridge wraps around every ``detail`` it delivers to a rule's target.
ENVELOPE_PROPERTIES: dict[str, Any] = {
    "version": {"type": "string", "description": "EventBridge's envelope version, '0'."},
    "id": {"type": "string", "description": "EventBridge's id of this delivery."},
    "account": {"type": "string", "pattern": "^[0-9]{12}$"},
    "time": {"type": "string", "format": "date-time"},
    "region": {"type": "string"},
    "resources": {"type": "array", "items": {"type": "string"}},
}


def rule_pattern(event: type[Event], version: int | None = None) -> dict[str, Any]:
    """The EventBridge pattern that selects an event (one version of it, when given)."""
    pattern: dict[str, Any] = {"source": [event.source], "detail-type": [event.detail_type]}
    if version is not None:
        pattern["detail"] = {"metadata": {"event_version": [version]}}
    return pattern


def message_key(detail_type: str, version: int) -> str:
    return f"{detail_type}.v{version}"


def _rewrite_refs(node: Any, base: str) -> Any:
    """The schema with every local ``$ref`` pointing into this document at ``base``."""
    if isinstance(node, dict):
        rewritten = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                rewritten[key] = base + value[1:]
            else:
                rewritten[key] = _rewrite_refs(value, base)
        return rewritten
    if isinstance(node, list):
        return [_rewrite_refs(item, base) for item in node]
    return node


def detail_schema(committed: dict[str, Any], pointer: str) -> dict[str, Any]:
    """A committed schema made embeddable at the JSON pointer ``pointer`` of the document."""
    schema = _rewrite_refs(copy.deepcopy(committed), pointer)
    schema["x-schema-id"] = schema.pop("$id")
    schema["x-schema-dialect"] = schema.pop("$schema")
    return dict(schema)


def payload_schema(event: type[Event], version: int, schemas_dir: Path) -> dict[str, Any]:
    """The whole EventBridge event for one version: envelope plus the committed detail."""
    key = message_key(event.detail_type, version)
    pointer = f"#/components/messages/{key}/payload/schema/properties/detail"
    return {
        "type": "object",
        "required": ["source", "detail-type", "detail"],
        "properties": {
            "source": {"type": "string", "const": event.source},
            "detail-type": {"type": "string", "const": event.detail_type},
            **ENVELOPE_PROPERTIES,
            "detail": detail_schema(load_schema(event.detail_type, version, schemas_dir), pointer),
        },
    }


def _examples(event: type[Event], version: int, examples_dir: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(examples_dir.glob(f"{event.detail_type}.v{version}.*.json")):
        name = path.name.split(".")[-2]
        found.append(
            {
                "name": name,
                "summary": f"events/examples/{path.name}",
                "payload": json.loads(path.read_text(encoding="utf-8")),
            }
        )
    return found


def _message(
    event: type[Event], version: int, schemas_dir: Path, examples_dir: Path
) -> dict[str, Any]:
    committed = load_schema(event.detail_type, version, schemas_dir)
    file_name = schema_file_name(event.detail_type, version)
    changes = version_changes(event.detail_type, schemas_dir)
    return {
        "name": event.detail_type,
        "title": f"{event.detail_type} v{version}",
        "summary": committed["description"],
        "description": f"Version {version}: {changes[version]}",
        "contentType": "application/json",
        "payload": {
            "schemaFormat": SCHEMA_FORMAT,
            "schema": payload_schema(event, version, schemas_dir),
        },
        "examples": _examples(event, version, examples_dir),
        # The committed file the detail schema comes from (its $id is a name, not a location).
        "x-schema-file": f"events/schemas/{file_name}",
        "x-eventbridge-rule": {"EventPattern": rule_pattern(event, version)},
        "x-consumers": committed["x-consumers"],
    }


def _channel(event: type[Event], versions: list[int]) -> dict[str, Any]:
    return {
        "address": f"{event.source}/{event.detail_type}",
        "title": event.detail_type,
        "description": (
            f"{event.description} Published on the `{BUS_NAME}` bus with source "
            f"`{event.source}` and detail-type `{event.detail_type}`; the address is "
            "`<source>/<detail-type>`, what a rule matches on."
        ),
        "servers": [{"$ref": f"#/servers/{SERVER}"}],
        "messages": {
            message_key(event.detail_type, v): {
                "$ref": f"#/components/messages/{message_key(event.detail_type, v)}"
            }
            for v in versions
        },
        "x-eventbridge-rule": {"EventBusName": BUS_NAME, "EventPattern": rule_pattern(event)},
    }


def _operation(event: type[Event], versions: list[int]) -> dict[str, Any]:
    return {
        "action": "send",
        "title": f"Publish {event.detail_type}",
        "summary": f"{event.source} puts {event.detail_type} on the bus.",
        "channel": {"$ref": f"#/channels/{event.detail_type}"},
        "messages": [
            {"$ref": f"#/channels/{event.detail_type}/messages/{message_key(event.detail_type, v)}"}
            for v in versions
        ],
    }


def document_version(versions: dict[str, list[int]]) -> str:
    """``1.<n>.0``: n counts the versions published after each event's first, so publishing
    a new event version (an addition to this document) raises it."""
    later = sum(len(found) - 1 for found in versions.values())
    return f"1.{later}.0"


def generate_asyncapi(
    events: Sequence[type[Event]] = ALL_EVENTS,
    schemas_dir: Path = SCHEMAS_DIR,
    examples_dir: Path = EXAMPLES_DIR,
) -> dict[str, Any]:
    """The AsyncAPI document as a plain value."""
    versions = {e.detail_type: committed_versions(e.detail_type, schemas_dir) for e in events}
    for event in events:
        if event.version not in versions[event.detail_type]:
            raise ValueError(
                f"{schema_file_name(event.detail_type, event.version)} is not committed: "
                "run `make schemas`"
            )
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "shop order events",
            "version": document_version(versions),
            "description": (
                "Every event the shop's services publish on their EventBridge bus, with "
                "every published version of its schema. Generated by `make schemas` "
                "(python -m tools.contract.asyncapi) from events/models.py, "
                "events/schemas/ and events/examples/: do not edit by hand.\n\n"
                "To subscribe, put a rule on the bus with a channel's `x-eventbridge-rule` "
                "pattern (add a message's pattern to receive one version only) and ignore "
                "fields you do not know: producers may add optional fields within a version."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            SERVER: {
                "host": "events.{region}.amazonaws.com",
                "protocol": "https",
                "title": f"The {BUS_NAME} EventBridge bus",
                "description": (
                    f"Amazon EventBridge, bus `{BUS_NAME}`. A deployed stage publishes the "
                    "bus's name and ARN in SSM (`x-eventbridge-bus`); the local stack "
                    "(`shop local`) serves the same bus on its moto endpoint."
                ),
                "variables": {"region": {"default": "eu-west-1"}},
                "x-eventbridge-bus": {
                    "name": BUS_NAME,
                    "ssm-parameters": BUS_PARAMETERS,
                },
            }
        },
        "channels": {e.detail_type: _channel(e, versions[e.detail_type]) for e in events},
        "operations": {
            f"publish{e.detail_type}": _operation(e, versions[e.detail_type]) for e in events
        },
        "components": {
            "messages": {
                message_key(e.detail_type, v): _message(e, v, schemas_dir, examples_dir)
                for e in events
                for v in versions[e.detail_type]
            }
        },
    }


def render(document: dict[str, Any]) -> str:
    header = (
        "# Generated by `make schemas` (python -m tools.contract.asyncapi) from the event\n"
        "# models, events/schemas/ and events/examples/. Do not edit by hand.\n"
    )
    body = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return header + body


def render_asyncapi() -> str:
    return render(generate_asyncapi())


def write_asyncapi(path: Path = ASYNCAPI_PATH) -> bool:
    """Write the document; True when it changed."""
    return write_if_changed(path, render_asyncapi())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contract.asyncapi", description="Write docs/asyncapi.yaml."
    )
    parser.add_argument("--output", type=Path, default=ASYNCAPI_PATH)
    args = parser.parse_args(argv)
    changed = write_asyncapi(args.output)
    print(f"{'wrote' if changed else 'up to date:'} {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
