"""The committed event schemas, translated for the EventBridge schema registry.

The registry accepts two formats, ``OpenApi3`` and ``JSONSchemaDraft4``; our contract files
are JSON Schema 2020-12. Rather than hope the registry tolerates a newer dialect, each file is
translated mechanically into Draft 4 (``$defs`` -> ``definitions``, ``$id`` -> ``id``,
``const`` -> one-value ``enum``, ``examples`` dropped) and wrapped in the EventBridge event
envelope, so the registry describes what a subscriber actually receives: ``source``,
``detail-type`` and the ``detail``. The files in ``events/schemas/`` stay the contract; the
registry copy is for discovery and code bindings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "events" / "schemas"
SCHEMA_FILE = re.compile(r"^(?P<detail_type>[A-Z][A-Za-z0-9]*)\.v(?P<version>[1-9][0-9]*)\.json$")
DRAFT4 = "http://json-schema.org/draft-04/schema#"

# Keywords whose value is a map of name -> schema, or a schema, or a list of schemas.
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "additionalItems", "contains")
_SCHEMA_LISTS = ("anyOf", "allOf", "oneOf")
# 2020-12 annotations Draft 4 does not know; dropping them changes no validation result.
_DROPPED = ("examples", "$comment", "deprecated", "readOnly", "writeOnly")


@dataclass(frozen=True)
class RegistrySchema:
    name: str  # e.g. shop.orders@OrderPlaced.v1
    description: str
    content: dict[str, Any]


def to_draft4(schema: dict[str, Any]) -> dict[str, Any]:
    """One (sub)schema in Draft 4 terms; walks schema positions, never property names."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROPPED:
            continue
        if key == "$schema":
            out[key] = DRAFT4
        elif key == "$id":
            out["id"] = value
        elif key == "$ref":
            out[key] = str(value).replace("#/$defs/", "#/definitions/")
        elif key == "const":
            out["enum"] = [value]
        elif key in _SCHEMA_MAPS:
            target = "definitions" if key == "$defs" else key
            out[target] = {name: to_draft4(sub) for name, sub in value.items()}
        elif key in _SCHEMA_VALUES and isinstance(value, dict):
            out[key] = to_draft4(value)
        elif key in _SCHEMA_LISTS or (key == "items" and isinstance(value, list)):
            out[key] = [to_draft4(sub) for sub in value]
        elif key in {"exclusiveMinimum", "exclusiveMaximum"} and not isinstance(value, bool):
            # Draft 4: a boolean modifier of minimum / maximum.
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            out[bound] = value
            out[key] = True
        else:
            out[key] = value
    return out


def registry_schema(path: Path) -> RegistrySchema:
    """The registry entry for one committed schema file: the event as EventBridge delivers it."""
    match = SCHEMA_FILE.match(path.name)
    if match is None:
        raise ValueError(f"{path.name} is not named <DetailType>.v<N>.json")
    detail = to_draft4(json.loads(path.read_text(encoding="utf-8")))
    detail_type, source = detail["x-detail-type"], detail["x-source"]
    if detail_type != match["detail_type"]:
        raise ValueError(f"{path.name} declares detail-type {detail_type}")
    definitions = detail.pop("definitions", {})
    detail.pop("$schema", None)
    # A nested Draft 4 ``id`` would change the base of the detail's "#/definitions/..." refs.
    detail.pop("id", None)
    detail_key = f"{detail_type}Detail"
    if detail_key in definitions:
        raise ValueError(f"{path.name}: definition {detail_key} would be overwritten")
    definitions[detail_key] = detail
    content = {
        "$schema": DRAFT4,
        "title": f"{detail_type} v{match['version']}",
        "description": detail.get("description", detail_type),
        "type": "object",
        "required": ["source", "detail-type", "detail"],
        "properties": {
            "source": {"type": "string", "enum": [source]},
            "detail-type": {"type": "string", "enum": [detail_type]},
            "detail": {"$ref": f"#/definitions/{detail_key}"},
        },
        "definitions": definitions,
    }
    return RegistrySchema(
        name=f"{source}@{detail_type}.v{match['version']}",
        description=str(detail.get("description", detail_type))[:256],
        content=content,
    )


def registry_schemas(directory: Path = SCHEMAS_DIR) -> list[RegistrySchema]:
    return [
        registry_schema(path)
        for path in sorted(directory.glob("*.json"))
        if SCHEMA_FILE.match(path.name)
    ]
