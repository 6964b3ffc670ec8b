"""Hypothesis strategies read off the orders API's committed OpenAPI document.

``conforming(schema)`` draws values that satisfy a JSON Schema of the subset pydantic writes
for our models ($ref, object with required / additionalProperties, string with length, pattern
and the email format, integer bounds, arrays, anyOf, null); a schema's ``examples`` are drawn
too, as a real client would send them. ``hostile(...)`` then breaks such a value in one place:
a missing field, a value of the wrong type, a huge or strange string, an unknown field.
schemathesis is not used: it drives an ASGI/WSGI app or a server, and this API is a Lambda
handler called in-process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from tests.support.paths import REPO_ROOT

OPENAPI_FILE = REPO_ROOT / "services" / "orders" / "openapi.json"
JSON = dict[str, Any]


def load_openapi() -> JSON:
    document: JSON = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    return document


def resolve(document: JSON, schema: JSON) -> JSON:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def request_body_schema(document: JSON, path: str, method: str) -> JSON:
    operation = document["paths"][path][method]
    return resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])


# Addresses email-validator accepts (no special-use or reserved domains).
_EMAILS = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z0-9]{1,16}(\.[a-z0-9]{1,8})?", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,14}[a-z0-9]", fullmatch=True),
    st.sampled_from(["com", "org", "net", "shop"]),
)


def conforming(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    """Values that satisfy ``schema``."""
    schema = resolve(document, schema)
    drawn = _conforming(document, schema)
    if examples := schema.get("examples"):
        return st.one_of(st.sampled_from(examples), drawn)
    return drawn


def _conforming(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    if "anyOf" in schema:
        return st.one_of([conforming(document, option) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind not in _BY_TYPE:
        raise NotImplementedError(f"schema construct not covered: {sorted(schema)}")
    return _BY_TYPE[kind](document, schema)


def _null(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    return st.none()


def _integer(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    return st.integers(
        min_value=int(schema["minimum"]) if "minimum" in schema else None,
        max_value=int(schema["maximum"]) if "maximum" in schema else None,
    )


def _string(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    if schema.get("format") == "email":
        return _EMAILS
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    return st.text(
        min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 40), 40)
    )


def _array(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    # Few items: the limits themselves are probed by the hostile strategies.
    return st.lists(
        conforming(document, schema["items"]),
        min_size=schema.get("minItems", 0),
        max_size=min(schema.get("maxItems", 5), 5),
    )


def _object(document: JSON, schema: JSON) -> st.SearchStrategy[Any]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {name: conforming(document, sub) for name, sub in properties.items() if name in required},
        optional={
            name: conforming(document, sub)
            for name, sub in properties.items()
            if name not in required
        },
    )


_BY_TYPE: dict[str, Callable[[JSON, JSON], st.SearchStrategy[Any]]] = {
    "null": _null,
    "integer": _integer,
    "string": _string,
    "array": _array,
    "object": _object,
}


# --- breaking a value ----------------------------------------------------------------------

HUGE_STRINGS = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["A", "é", "💥", "\u202e", "\x00", "<script>", "'; DROP TABLE orders;--"]),
    st.integers(min_value=300, max_value=120_000),
)
STRANGE_STRINGS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(["", " ", "\n", "null", "0", "-1", "1e999", "NaN", "\ud7ff", "\u0000"]),
    HUGE_STRINGS,
)
ANY_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | STRANGE_STRINGS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _locations(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value (dict keys and list indexes), outermost first."""
    places = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            places += _locations(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            places += _locations(child, (*here, index))
    return places


def _replace(value: Any, where: tuple[Any, ...], new: Any) -> Any:
    if not where:
        return new
    head, rest = where[0], where[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _delete(value: Any, where: tuple[Any, ...]) -> Any:
    if len(where) == 1:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != where[0]}
        return [v for i, v in enumerate(value) if i != where[0]]
    head = where[0]
    return _replace(value, (head,), _delete(value[head], where[1:]))


@st.composite
def broken(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> Any:
    """A conforming value with one thing wrong with it (or several, now and then)."""
    value = draw(valid)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = _locations(value)
        where = draw(st.sampled_from(places))
        how = draw(st.sampled_from(["delete", "retype", "strange", "extra"]))
        if how == "delete" and where:
            value = _delete(value, where)
        elif how == "extra" and isinstance(_at(value, where), dict):
            extra = draw(st.text(max_size=12))
            value = _replace(value, where, {**_at(value, where), extra: draw(ANY_JSON)})
        elif how == "strange":
            value = _replace(value, where, draw(STRANGE_STRINGS))
        else:
            value = _replace(value, where, draw(ANY_JSON))
    return value


def _at(value: Any, where: tuple[Any, ...]) -> Any:
    for part in where:
        value = value[part]
    return value
