"""The compatibility checker, one kind of change at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from events.models import ALL_EVENTS, Event, OrderCancelled
from events.text import SAFE_TEXT_PATTERN, SAFE_TEXT_PATTERN_FIRST_PUBLISHED
from tools.contract.compat import Breaking, breaking_changes


def order_schema() -> dict[str, Any]:
    """A small event schema in the shape pydantic generates ($defs, $ref, nullable anyOf)."""
    return {
        "$defs": {
            "Item": {
                "type": "object",
                "properties": {
                    "sku": {"type": "string", "pattern": "^[A-Z0-9-]+$"},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 1000},
                },
                "required": ["sku", "quantity"],
            },
            "Data": {
                "type": "object",
                "properties": {
                    "order_id": {"type": "string", "maxLength": 64},
                    "email": {"type": "string", "format": "email"},
                    "status": {"type": "string", "enum": ["placed", "shipped"]},
                    "decision": {"type": "string", "const": "approved"},
                    "comment": {"anyOf": [{"type": "string", "maxLength": 500}, {"type": "null"}]},
                    "items": {
                        "type": "array",
                        "items": {"$ref": "#/$defs/Item"},
                        "minItems": 1,
                        "maxItems": 50,
                    },
                },
                "required": ["order_id", "email", "status", "items"],
            },
        },
        "type": "object",
        "properties": {"data": {"$ref": "#/$defs/Data"}},
        "required": ["data"],
    }


def changed(edit: Any) -> list[Breaking]:
    old = order_schema()
    new = copy.deepcopy(old)
    edit(new["$defs"])
    return breaking_changes(old, new)


def as_text(changes: list[Breaking]) -> list[str]:
    return [str(change) for change in changes]


def test_identical_schemas_have_no_breaking_change() -> None:
    assert breaking_changes(order_schema(), order_schema()) == []


def test_removed_property() -> None:
    changes = changed(lambda d: d["Data"]["properties"].pop("comment"))
    assert changes == [Breaking("$.data.comment", "removed", "property removed")]


def test_removed_required_property_is_reported_once_as_removed() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["Data"]["properties"].pop("email")
        d["Data"]["required"].remove("email")

    assert as_text(changed(edit)) == ["$.data.email: property removed"]


def test_changed_type() -> None:
    changes = changed(lambda d: d["Item"]["properties"].update(quantity={"type": "string"}))
    assert as_text(changes) == ["$.data.items[*].quantity: type changed from integer to string"]


def test_widened_type_is_a_retype_too() -> None:
    # integer -> number hands consumers fractions; string -> string|null hands them nulls.
    def edit(d: dict[str, Any]) -> None:
        d["Item"]["properties"]["quantity"]["type"] = "number"
        d["Data"]["properties"]["order_id"] = {"type": ["string", "null"], "maxLength": 64}

    assert as_text(changed(edit)) == [
        "$.data.order_id: type changed from string to null | string",
        "$.data.items[*].quantity: type changed from integer to number",
    ]


@pytest.mark.parametrize(
    ("new_format", "message"),
    [
        ("idn-email", "format changed from 'email' to 'idn-email'"),
        (None, "format 'email' removed: consumers parse it"),
    ],
)
def test_changed_or_removed_format(new_format: str | None, message: str) -> None:
    def edit(d: dict[str, Any]) -> None:
        email = d["Data"]["properties"]["email"]
        email.pop("format")
        if new_format:
            email["format"] = new_format

    assert as_text(changed(edit)) == [f"$.data.email: {message}"]


def test_added_format() -> None:
    changes = changed(lambda d: d["Data"]["properties"]["order_id"].update(format="uuid"))
    assert as_text(changes) == ["$.data.order_id: format 'uuid' added"]


def test_changed_const() -> None:
    changes = changed(lambda d: d["Data"]["properties"]["decision"].update(const="accepted"))
    assert changes == [
        Breaking("$.data.decision", "enum", 'const changed from "approved" to "accepted"')
    ]


def test_newly_required_property() -> None:
    changes = changed(lambda d: d["Data"]["required"].append("comment"))
    assert changes == [Breaking("$.data.comment", "required", "newly required")]


def test_new_required_property() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["Data"]["properties"]["tracking"] = {"type": "string"}
        d["Data"]["required"].append("tracking")

    assert as_text(changed(edit)) == ["$.data.tracking: new required property"]


def test_property_no_longer_required() -> None:
    changes = changed(lambda d: d["Data"]["required"].remove("email"))
    assert changes == [Breaking("$.data.email", "no-longer-required", "no longer required")]


def test_narrowed_enum() -> None:
    changes = changed(lambda d: d["Data"]["properties"]["status"].update(enum=["placed"]))
    assert changes == [
        Breaking("$.data.status", "enum", 'enum narrowed: "shipped" no longer allowed')
    ]


def test_enum_where_any_value_was_allowed() -> None:
    changes = changed(lambda d: d["Data"]["properties"]["order_id"].update(enum=["a", "b"]))
    assert as_text(changes) == ['$.data.order_id: now restricted to "a", "b"']


@pytest.mark.parametrize(
    ("where", "tighter", "message"),
    [
        (("Data", "order_id"), {"maxLength": 32}, "maxLength 32 (was 64)"),
        (("Data", "order_id"), {"minLength": 3}, "minLength 3 (was none)"),
        (("Data", "order_id"), {"pattern": "^ord_"}, "pattern '^ord_'"),
        (
            ("Item", "sku"),
            {"pattern": "^[A-Z]+$"},
            "pattern '^[A-Z]+$' (was '^[A-Z0-9-]+$')",
        ),
        (("Item", "quantity"), {"maximum": 99}, "maximum 99 (was 1000)"),
        (("Item", "quantity"), {"exclusiveMaximum": 1000}, "maximum 1000 (exclusive) (was 1000)"),
        (("Item", "quantity"), {"minimum": 2}, "minimum 2 (was 1)"),
        (("Item", "quantity"), {"multipleOf": 5}, "multipleOf 5"),
    ],
)
def test_tighter_constraint(where: tuple[str, str], tighter: dict[str, Any], message: str) -> None:
    definition, name = where
    changes = changed(lambda d: d[definition]["properties"][name].update(tighter))
    path = "$.data.order_id" if definition == "Data" else f"$.data.items[*].{name}"
    assert changes == [Breaking(path, "constraint", message)]


def test_tighter_array_and_object_constraints() -> None:
    def edit(d: dict[str, Any]) -> None:
        items = d["Data"]["properties"]["items"]
        items.update(maxItems=10, minItems=2, uniqueItems=True)
        d["Item"]["additionalProperties"] = False

    assert as_text(changed(edit)) == [
        "$.data.items: maxItems 10 (was 50)",
        "$.data.items: minItems 2 (was 1)",
        "$.data.items: items must now be unique",
        "$.data.items[*]: additional properties no longer allowed",
    ]


def test_tighter_constraint_inside_a_nullable_field() -> None:
    changes = changed(
        lambda d: d["Data"]["properties"]["comment"]["anyOf"][0].update(maxLength=200)
    )
    assert as_text(changes) == ["$.data.comment: maxLength 200 (was 500)"]


def test_unmodelled_keyword_counts_as_breaking_when_added() -> None:
    changes = changed(lambda d: d["Data"].update(dependentRequired={"comment": ["email"]}))
    assert as_text(changes) == [
        "$.data: 'dependentRequired' added or changed: cannot prove it compatible"
    ]


def test_compatible_changes_report_nothing() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["Data"]["properties"]["gift_note"] = {"type": "string", "maxLength": 200}  # optional
        d["Data"]["properties"]["status"]["enum"].append("cancelled")  # widened enum
        d["Data"]["properties"]["order_id"]["maxLength"] = 128  # looser
        d["Data"]["properties"]["order_id"]["description"] = "The order's id."  # annotation
        d["Item"]["properties"]["quantity"].pop("maximum")  # looser
        d["Data"]["properties"]["items"].pop("maxItems")  # looser
        d["Data"]["required"].remove("email")
        d["Data"]["required"].append("email")  # same set, another order

    assert changed(edit) == []


def test_renamed_definition_is_not_a_change() -> None:
    old = order_schema()
    new = copy.deepcopy(old)
    new["$defs"]["LineItem"] = new["$defs"].pop("Item")
    new["$defs"]["Data"]["properties"]["items"]["items"] = {"$ref": "#/$defs/LineItem"}
    assert breaking_changes(old, new) == []


def test_recursive_schemas_terminate() -> None:
    tree: dict[str, Any] = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
            }
        },
        "$ref": "#/$defs/Node",
    }
    narrowed = copy.deepcopy(tree)
    narrowed["$defs"]["Node"]["properties"]["children"]["maxItems"] = 2
    assert breaking_changes(tree, tree) == []
    assert as_text(breaking_changes(tree, narrowed)) == ["$.children: maxItems 2 (was unbounded)"]


def test_union_of_objects_compares_each_branch_with_its_closest_match() -> None:
    cat = {"type": "object", "properties": {"meow": {"type": "string"}}, "required": ["meow"]}
    dog: dict[str, Any] = {
        "type": "object",
        "properties": {"woof": {"type": "string"}},
        "required": ["woof"],
    }
    old = {"oneOf": [cat, dog]}
    assert breaking_changes(old, {"oneOf": [dog, cat]}) == []
    loud_dog = copy.deepcopy(dog)
    loud_dog["properties"]["woof"]["maxLength"] = 3
    assert as_text(breaking_changes(old, {"oneOf": [cat, loud_dog]})) == [
        "$.woof: maxLength 3 (was unbounded)"
    ]


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.detail_type)
def test_every_generated_event_schema_is_compatible_with_itself(event: type[Event]) -> None:
    schema = event.model_json_schema()
    assert breaking_changes(schema, schema) == []


def test_on_real_models_a_narrowed_reason_is_found_through_refs() -> None:
    old = OrderCancelled.model_json_schema()
    new = copy.deepcopy(old)
    new["$defs"]["OrderCancelledData"]["properties"]["reason"]["enum"] = ["rejected"]
    assert as_text(breaking_changes(old, new)) == [
        '$.data.reason: enum narrowed: "approval_timeout", "customer_cancelled" no longer allowed'
    ]


# --- the one tightening the policy allows ------------------------------------------------


def test_adding_the_safe_text_pattern_where_there_was_none_is_compatible() -> None:
    def edit(defs: dict[str, Any]) -> None:
        defs["Data"]["properties"]["comment"]["anyOf"][0]["pattern"] = SAFE_TEXT_PATTERN

    assert changed(edit) == []


def test_the_safe_text_pattern_in_place_of_its_first_spelling_is_compatible() -> None:
    def first_spelling(defs: dict[str, Any]) -> None:
        defs["Data"]["properties"]["comment"]["anyOf"][0]["pattern"] = (
            SAFE_TEXT_PATTERN_FIRST_PUBLISHED
        )

    def respelled(defs: dict[str, Any]) -> None:
        defs["Data"]["properties"]["comment"]["anyOf"][0]["pattern"] = SAFE_TEXT_PATTERN

    old, new = order_schema(), order_schema()
    first_spelling(old["$defs"])
    respelled(new["$defs"])
    assert breaking_changes(old, new) == []
    assert [c.kind for c in breaking_changes(new, old)] == ["constraint"]


def test_the_safe_text_pattern_replacing_another_pattern_is_still_breaking() -> None:
    def edit(defs: dict[str, Any]) -> None:
        defs["Item"]["properties"]["sku"]["pattern"] = SAFE_TEXT_PATTERN

    assert [c.path for c in changed(edit)] == ["$.data.items[*].sku"]


def test_any_other_new_pattern_on_text_is_breaking() -> None:
    def edit(defs: dict[str, Any]) -> None:
        defs["Data"]["properties"]["comment"]["anyOf"][0]["pattern"] = SAFE_TEXT_PATTERN + "x"

    assert [c.kind for c in changed(edit)] == ["constraint"]
