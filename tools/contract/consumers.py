"""Consumer-driven contract: the fields each consumer reads, checked against what producers publish.

Every consumer declares, per event, the fields it reads (``READS`` in its ``reads.py``)::

    READS = {"OrderShipped": ("data.order_id", "data.customer.email", "data.comment?")}

A path walks the ``detail``: ``a.b`` for a member, ``items[].sku`` for every element of an
array. A trailing ``?`` says the consumer copes with the field being absent.

``check`` holds every declaration against every published version of the event's schema (and
any candidate schema, e.g. the one the current model generates) and every example:

- the field exists in every version, and, unless marked ``?``, is required all along its path
  and present in every example;
- its type (JSON types and formats) is the same in every version: a consumer reading v1 and
  v2 of an event cannot cope with ``total`` being a string in one and a number in the other.

A violation names the consumer, the event (and version) and the field, so the producer knows
whom a change breaks.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from events.models import ALL_EVENTS, Event
from local.paths import REPO_ROOT
from tools.contract.catalogue import EXAMPLES_DIR
from tools.contract.schema_gen import generate_schema
from tools.contract.schemas import SCHEMAS_DIR, committed_versions, load_schema

Reads = Mapping[str, Sequence[str]]
# Every consumer of the shop's events and where its declaration lives. The example
# subscriber is another team's code: its declaration is read from its file, not imported as
# one of our packages.
DECLARATIONS: dict[str, Path] = {
    "orders": REPO_ROOT / "services" / "orders" / "reads.py",
    "workflow": REPO_ROOT / "services" / "workflow" / "reads.py",
    "approvals": REPO_ROOT / "services" / "approvals" / "reads.py",
    "notifications": REPO_ROOT / "services" / "notifications" / "reads.py",
    "loyalty (examples/subscriber)": REPO_ROOT / "examples" / "subscriber" / "loyalty" / "reads.py",
}


@dataclass(frozen=True)
class Consumer:
    name: str
    reads: Reads


@dataclass(frozen=True)
class Published:
    """One version of an event as a consumer may receive it: its schema and examples."""

    detail_type: str
    label: str  # "v1", or "v2 (candidate)" for a schema not yet committed
    schema: dict[str, Any]
    examples: Mapping[str, Any]  # example name -> the event's ``detail``


@dataclass(frozen=True)
class Violation:
    consumer: str
    detail_type: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"consumer {self.consumer} reads {self.detail_type} {self.field}, but {self.problem}"


class ConsumerContractError(AssertionError):
    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        listed = "\n".join(f"  - {v}" for v in violations)
        super().__init__(f"{len(violations)} consumer contract violation(s):\n{listed}")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_reads_{path.parent.name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_consumers(declarations: Mapping[str, Path] = DECLARATIONS) -> list[Consumer]:
    consumers = []
    for name, path in declarations.items():
        reads = getattr(_load(path), "READS", None)
        if not isinstance(reads, Mapping):
            raise TypeError(f"{path} must define READS: a mapping of event to field paths")
        consumers.append(Consumer(name, reads))
    return consumers


# --- walking a schema --------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A field's schema at the end of a path, and whether the path is required all along."""

    schema: dict[str, Any]
    required: bool


def _resolve(node: Any, root: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(node, dict):
        return {}
    seen: set[str] = set()
    while "$ref" in node and node["$ref"] not in seen:
        ref = node["$ref"]
        seen.add(ref)
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return dict(node)


def _branches(node: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    options = node.get("anyOf") or node.get("oneOf")
    if not options:
        return [node]
    return [branch for option in options for branch in _branches(_resolve(option, root), root)]


def _steps(path: str) -> Iterator[tuple[str, bool]]:
    """``data.items[].sku`` -> (data, False), (items, True), (sku, False)."""
    for part in path.split("."):
        yield part.removesuffix("[]"), part.endswith("[]")


def find_field(schema: dict[str, Any], path: str) -> Found | None:
    """The schema of the field at ``path`` in a detail schema, or None if it has none."""
    node, required = _resolve(schema, schema), True
    for name, is_array in _steps(path):
        objects = [b for b in _branches(node, schema) if name in b.get("properties", {})]
        if not objects:
            return None
        required = required and all(name in b.get("required", []) for b in objects)
        node = _resolve(objects[0]["properties"][name], schema)
        if is_array:
            arrays = [b for b in _branches(node, schema) if "items" in b]
            if not arrays:
                return None
            node = _resolve(arrays[0]["items"], schema)
    return Found(node, required)


def field_type(found: Found, root: dict[str, Any]) -> str:
    """The JSON types (with formats) a field may take, e.g. ``string(date-time)``."""
    kinds = set()
    for branch in _branches(found.schema, root):
        declared = branch.get("type", "any")
        for kind in declared if isinstance(declared, list) else [declared]:
            kinds.add(f"{kind}({branch['format']})" if "format" in branch else str(kind))
    return " | ".join(sorted(kinds))


def carries(detail: Any, path: str) -> bool:
    """Whether an event's detail has the field; through an array, every element must."""
    return _carries(detail, list(_steps(path)))


def _carries(value: Any, steps: list[tuple[str, bool]]) -> bool:
    if not steps:
        return True
    (name, is_array), rest = steps[0], steps[1:]
    if not isinstance(value, dict) or name not in value:
        return False
    inner = value[name]
    if is_array:
        return isinstance(inner, list) and bool(inner) and all(_carries(e, rest) for e in inner)
    return _carries(inner, rest)


# --- the check ---------------------------------------------------------------------------


def violations(consumer: Consumer, published: Mapping[str, Sequence[Published]]) -> list[Violation]:
    """Every way the published versions fail what ``consumer`` reads."""
    found: list[Violation] = []
    for detail_type, paths in consumer.reads.items():
        versions = published.get(detail_type)
        if not versions:
            found.append(Violation(consumer.name, detail_type, "*", "no such event is published"))
            continue
        for declared in paths:
            found += _check_field(consumer.name, versions, declared)
    return found


def _check_field(consumer: str, versions: Sequence[Published], declared: str) -> list[Violation]:
    optional = declared.endswith("?")
    path = declared.removesuffix("?")
    found: list[Violation] = []
    types: dict[str, str] = {}
    for version in versions:
        what = f"{version.detail_type} {version.label}"
        field = find_field(version.schema, path)
        if field is None:
            found.append(
                Violation(consumer, version.detail_type, path, f"{what} has no such field")
            )
            continue
        types[version.label] = field_type(field, version.schema)
        if optional:
            continue
        if not field.required:
            found.append(
                Violation(consumer, version.detail_type, path, f"{what} does not require it")
            )
        for name, detail in version.examples.items():
            if not carries(detail, path):
                found.append(
                    Violation(
                        consumer,
                        version.detail_type,
                        path,
                        f"the {version.label} example {name!r} does not carry it",
                    )
                )
    if len(set(types.values())) > 1:
        listed = ", ".join(f"{label}: {kind}" for label, kind in types.items())
        found.append(
            Violation(
                consumer,
                versions[0].detail_type,
                path,
                f"its type differs between versions ({listed})",
            )
        )
    return found


def check(consumers: Iterable[Consumer], published: Mapping[str, Sequence[Published]]) -> None:
    """Raise ``ConsumerContractError`` listing every violation of every consumer."""
    found = [v for consumer in consumers for v in violations(consumer, published)]
    if found:
        raise ConsumerContractError(found)


# --- what producers publish --------------------------------------------------------------


def published_versions(
    events: Iterable[type[Event]] = ALL_EVENTS,
    schemas_dir: Path = SCHEMAS_DIR,
    examples_dir: Path = EXAMPLES_DIR,
) -> dict[str, list[Published]]:
    """Every committed version of every event with its examples, plus the schema each model
    generates now when it differs from what is committed (a producer's change in progress)."""
    published: dict[str, list[Published]] = {}
    for event in events:
        versions = []
        for version in committed_versions(event.detail_type, schemas_dir):
            examples = {
                path.name.split(".")[-2]: json.loads(path.read_text(encoding="utf-8"))["detail"]
                for path in sorted(examples_dir.glob(f"{event.detail_type}.v{version}.*.json"))
            }
            schema = load_schema(event.detail_type, version, schemas_dir)
            versions.append(Published(event.detail_type, f"v{version}", schema, examples))
        candidate = generate_schema(event)
        committed = {v.label: v.schema for v in versions}
        if committed.get(f"v{event.version}") != candidate:
            label = f"v{event.version} (as the model generates it)"
            versions.append(Published(event.detail_type, label, candidate, {}))
        published[event.detail_type] = versions
    return published
