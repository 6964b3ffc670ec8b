"""Lists the breaking changes between two versions of an event's JSON Schema.

A change is breaking when a consumer built on the old schema, or an event published under
it, stops working with the new one:

- a property is removed (consumers read it), or stops being required (consumers rely on it);
- a property becomes required (events published before it lack it);
- a type changes, in either direction: ``string`` to ``string | null`` hands consumers a
  null they never saw; ``integer`` to ``number`` hands them fractions;
- a ``format`` is added, removed or changed (consumers parse ``date-time``, ``email``, ...);
- a ``const`` or ``enum`` loses values, or appears where any value was allowed;
- a constraint tightens: lower ``maxLength`` / ``maximum`` / ``maxItems``, higher
  ``minLength`` / ``minimum`` / ``minItems``, a new or changed ``pattern`` (no regex
  inclusion is attempted, so any change counts), a ``multipleOf`` the old one does not
  satisfy, ``uniqueItems``, ``additionalProperties: false``.

One tightening is allowed within a version: the contract's safe-text pattern
(``events.text.SAFE_TEXT_PATTERN``) added to a string that had no pattern, or put in place of
its first published spelling. Every event valid under the new schema is valid under the old
one, so no consumer breaks; the only events it refuses carry control, format or
line-separator characters or untidy spacing in text people typed, which is the text that
could pass for the shop's own lines (docs/decisions.md). The respelling ends the pattern with
"no character follows" instead of ``$``: the same strings under ECMA-262, JSON Schema's regex
dialect, and no final newline under Python's re either.

Not breaking: a new optional property, a wider enum (consumers of this contract handle a
value they do not know, as they ignore a field they do not know), looser constraints, and
annotations (``title``, ``description``, ``examples``, ``default``, ``x-*``).

``$ref`` is resolved against each schema's own ``$defs`` (so renaming a definition changes
nothing); ``anyOf`` / ``oneOf`` branches are compared by type; ``allOf`` is merged. A
validation keyword the checker does not model is reported whenever it is added or changed:
an unproven change counts as breaking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from events.text import SAFE_TEXT_PATTERN, SAFE_TEXT_PATTERN_FIRST_PUBLISHED

ANY = "any"
# Keywords that describe but never constrain: free to change.
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "definitions",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "discriminator",
    }
)
# Keywords this module compares itself; any other validation keyword falls to the fallback.
MODELLED = frozenset(
    {
        "$ref",
        "type",
        "anyOf",
        "oneOf",
        "allOf",
        "const",
        "enum",
        "format",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
    }
)


@dataclass(frozen=True)
class Breaking:
    """One breaking change: where (a JSON path into the event) and what."""

    path: str
    kind: str  # removed | no-longer-required | required | type | format | enum | constraint
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def breaking_changes(old_schema: dict[str, Any], new_schema: dict[str, Any]) -> list[Breaking]:
    """Every breaking change from ``old_schema`` to ``new_schema``, in document order."""
    comparison = _Comparison(old_schema, new_schema)
    comparison.compare(old_schema, new_schema, "$")
    return list(dict.fromkeys(comparison.found))


@dataclass
class _Comparison:
    old_root: dict[str, Any]
    new_root: dict[str, Any]
    found: list[Breaking] = field(default_factory=list)
    # Pairs of definitions being compared, so recursive schemas terminate.
    _active: set[tuple[str, str]] = field(default_factory=set)

    def report(self, path: str, kind: str, message: str) -> None:
        self.found.append(Breaking(path, kind, message))

    def compare(self, old: Any, new: Any, path: str) -> None:
        old, old_refs = _resolve(old, self.old_root)
        new, new_refs = _resolve(new, self.new_root)
        key = (",".join(old_refs), ",".join(new_refs))
        if old_refs and new_refs:
            if key in self._active:
                return
            self._active.add(key)
        try:
            self._compare_resolved(old, new, path)
        finally:
            self._active.discard(key)

    def _compare_resolved(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_branches = _branches(old, self.old_root)
        new_branches = _branches(new, self.new_root)
        old_types = _type_set(old_branches)
        new_types = _type_set(new_branches)
        if not old_types:
            return  # the old schema accepted nothing: nothing to break
        if new_types != old_types:
            if not new_types:
                self.report(path, "type", "no longer accepts any value")
            else:
                self.report(
                    path,
                    "type",
                    f"type changed from {_describe(old_types)} to {_describe(new_types)}",
                )
        for type_ in sorted(old_types & new_types):
            olds = [b for b in old_branches if type_ in _types(b)]
            news = [b for b in new_branches if type_ in _types(b)]
            for old_branch in olds:
                self._compare_best(old_branch, news, type_, path)

    def _compare_best(
        self, old: dict[str, Any], candidates: list[dict[str, Any]], type_: str, path: str
    ) -> None:
        # Several branches of one type (a union of objects): an old branch is compatible when
        # some new branch accepts it; report against the closest one.
        best: list[Breaking] | None = None
        for candidate in candidates:
            trial = _Comparison(self.old_root, self.new_root, _active=set(self._active))
            trial._compare_branch(old, candidate, type_, path)
            if best is None or len(trial.found) < len(best):
                best = trial.found
            if not best:
                break
        self.found.extend(best or [])

    def _compare_branch(
        self, old: dict[str, Any], new: dict[str, Any], type_: str, path: str
    ) -> None:
        self._compare_values(old, new, path)
        self._compare_format(old, new, path)
        if type_ == "string":
            self._compare_string(old, new, path)
        elif type_ in ("integer", "number"):
            self._compare_number(old, new, path)
        elif type_ == "array":
            self._compare_array(old, new, path)
        elif type_ == "object":
            self._compare_object(old, new, path)
        self._compare_unmodelled(old, new, path)

    def _compare_values(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        new_values = _allowed_values(new)
        if new_values is None:
            return
        old_values = _allowed_values(old)
        if old_values is None:
            self.report(path, "enum", f"now restricted to {_listed(new_values)}")
            return
        removed = [v for v in old_values if v not in new_values]
        if not removed:
            return
        if "const" in old and "const" in new:
            message = f"const changed from {_json(old['const'])} to {_json(new['const'])}"
        else:
            message = f"enum narrowed: {_listed(removed)} no longer allowed"
        self.report(path, "enum", message)

    def _compare_format(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_format, new_format = old.get("format"), new.get("format")
        if old_format == new_format:
            return
        if old_format is None:
            message = f"format {new_format!r} added"
        elif new_format is None:
            message = f"format {old_format!r} removed: consumers parse it"
        else:
            message = f"format changed from {old_format!r} to {new_format!r}"
        self.report(path, "format", message)

    def _compare_string(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        self._tighter_max(old, new, "maxLength", path)
        self._tighter_min(old, new, "minLength", path)
        if "pattern" in new and old.get("pattern") != new["pattern"]:
            if new["pattern"] == SAFE_TEXT_PATTERN and (
                old.get("pattern", SAFE_TEXT_PATTERN_FIRST_PUBLISHED)
                == SAFE_TEXT_PATTERN_FIRST_PUBLISHED
            ):
                return  # the one tightening the policy allows (see the module docstring)
            was = f" (was {old['pattern']!r})" if "pattern" in old else ""
            self.report(path, "constraint", f"pattern {new['pattern']!r}{was}")

    def _compare_number(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_max, new_max = _upper_bound(old), _upper_bound(new)
        if new_max is not None and (old_max is None or _tighter(new_max, old_max, upper=True)):
            self.report(path, "constraint", f"maximum {_bound(new_max)} (was {_bound(old_max)})")
        old_min, new_min = _lower_bound(old), _lower_bound(new)
        if new_min is not None and (old_min is None or _tighter(new_min, old_min, upper=False)):
            self.report(path, "constraint", f"minimum {_bound(new_min)} (was {_bound(old_min)})")
        if "multipleOf" in new:
            new_step = Decimal(str(new["multipleOf"]))
            old_step = Decimal(str(old["multipleOf"])) if "multipleOf" in old else None
            if old_step is None or old_step % new_step != 0:
                self.report(path, "constraint", f"multipleOf {new['multipleOf']}")

    def _compare_array(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        self._tighter_max(old, new, "maxItems", path)
        self._tighter_min(old, new, "minItems", path)
        if new.get("uniqueItems") and not old.get("uniqueItems"):
            self.report(path, "constraint", "items must now be unique")
        old_prefix, new_prefix = old.get("prefixItems", []), new.get("prefixItems", [])
        for index in range(max(len(old_prefix), len(new_prefix))):
            self.compare(
                old_prefix[index] if index < len(old_prefix) else old.get("items", True),
                new_prefix[index] if index < len(new_prefix) else new.get("items", True),
                f"{path}[{index}]",
            )
        self.compare(old.get("items", True), new.get("items", True), f"{path}[*]")

    def _compare_object(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_props: dict[str, Any] = old.get("properties", {})
        new_props: dict[str, Any] = new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name, old_prop in old_props.items():
            where = _member(path, name)
            if name not in new_props:
                self.report(where, "removed", "property removed")
                continue
            if name in old_required and name not in new_required:
                self.report(where, "no-longer-required", "no longer required")
            self.compare(old_prop, new_props[name], where)
        for name in new.get("required", []):
            if name not in old_required:
                what = "newly required" if name in old_props else "new required property"
                self.report(_member(path, name), "required", what)
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if new_extra is False and old_extra is not False:
            self.report(path, "constraint", "additional properties no longer allowed")
        elif new_extra is not True and new_extra is not False and old_extra is not False:
            self.compare(old_extra, new_extra, f"{path}.*")
        self._tighter_max(old, new, "maxProperties", path)
        self._tighter_min(old, new, "minProperties", path)

    def _compare_unmodelled(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        for keyword in sorted(set(new) - MODELLED - ANNOTATIONS):
            if keyword.startswith("x-") or old.get(keyword) == new[keyword]:
                continue
            self.report(
                path, "constraint", f"{keyword!r} added or changed: cannot prove it compatible"
            )

    def _tighter_max(self, old: dict[str, Any], new: dict[str, Any], key: str, path: str) -> None:
        if key in new and (key not in old or new[key] < old[key]):
            self.report(path, "constraint", f"{key} {new[key]} (was {old.get(key, 'unbounded')})")

    def _tighter_min(self, old: dict[str, Any], new: dict[str, Any], key: str, path: str) -> None:
        if key in new and new[key] > old.get(key, 0):
            self.report(path, "constraint", f"{key} {new[key]} (was {old.get(key, 'none')})")


def _resolve(schema: Any, root: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The schema with its ``$ref`` chain followed, siblings of ``$ref`` kept."""
    if schema is True:
        schema = {}
    elif schema is False:
        schema = {"not": {}}
    refs: list[str] = []
    while "$ref" in schema:
        ref = schema["$ref"]
        if ref in refs:
            raise ValueError(f"circular $ref {ref}")
        refs.append(ref)
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**_lookup(ref, root), **siblings}
    return schema, refs


def _lookup(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    if not ref.startswith("#"):
        raise ValueError(f"only local $ref is supported, not {ref}")
    node: Any = root
    for part in ref[1:].split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if node is True:
        return {}
    if node is False:
        return {"not": {}}
    return dict(node)


def _branches(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives a schema accepts: ``anyOf`` / ``oneOf`` flattened, ``allOf`` merged."""
    schema = _merge_all_of(schema, root)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            rest = {k: v for k, v in schema.items() if k != keyword}
            found = []
            for option in schema[keyword]:
                resolved, _ = _resolve(option, root)
                found.extend(_branches({**rest, **resolved}, root))
            return found
    if schema.get("not") == {}:
        return []
    return [schema]


def _merge_all_of(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    if "allOf" not in schema:
        return schema
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        resolved, _ = _resolve(part, root)
        resolved = _merge_all_of(resolved, root)
        for key, value in resolved.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _types(schema: dict[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(declared)
    values = _allowed_values(schema)
    if values is not None:
        return frozenset(_json_type(v) for v in values)
    if "properties" in schema or "required" in schema:
        return frozenset({"object"})
    if "items" in schema or "prefixItems" in schema:
        return frozenset({"array"})
    return frozenset({ANY})


def _type_set(branches: list[dict[str, Any]]) -> frozenset[str]:
    types: set[str] = set()
    for branch in branches:
        types |= _types(branch)
    return frozenset(types)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return _JSON_TYPES[type(value)]


def _allowed_values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


Bound = tuple[Decimal, bool]  # (value, exclusive)


def _upper_bound(schema: dict[str, Any]) -> Bound | None:
    return _pick(schema, "maximum", "exclusiveMaximum", upper=True)


def _lower_bound(schema: dict[str, Any]) -> Bound | None:
    return _pick(schema, "minimum", "exclusiveMinimum", upper=False)


def _pick(schema: dict[str, Any], inclusive: str, exclusive: str, *, upper: bool) -> Bound | None:
    bounds = [
        (Decimal(str(schema[key])), key == exclusive)
        for key in (inclusive, exclusive)
        if isinstance(schema.get(key), int | float)
    ]
    best: Bound | None = None
    for bound in bounds:
        if best is None or _tighter(bound, best, upper=upper):
            best = bound
    return best


def _tighter(new: Bound, old: Bound, *, upper: bool) -> bool:
    if new[0] != old[0]:
        return new[0] < old[0] if upper else new[0] > old[0]
    return new[1] and not old[1]


def _bound(bound: Bound | None) -> str:
    if bound is None:
        return "unbounded"
    return f"{bound[0]} (exclusive)" if bound[1] else str(bound[0])


def _member(path: str, name: str) -> str:
    return f"{path}.{name}" if name.isidentifier() else f"{path}[{json.dumps(name)}]"


def _describe(types: frozenset[str]) -> str:
    return " | ".join(sorted(types)) if types else "nothing"


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _listed(values: list[Any]) -> str:
    return ", ".join(_json(v) for v in values)
