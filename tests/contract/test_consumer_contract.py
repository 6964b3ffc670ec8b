"""Consumer-driven contract: every consumer's declared reads hold for every published version.

Each consumer (our four services and the example subscriber, another team's code) declares
in its ``reads.py`` the fields it reads per event; ``tools.contract.consumers`` checks them
against every committed schema version, every example and the schema each model generates
now. A producer change that removes or retypes a field someone reads fails here, naming them.
"""

from __future__ import annotations

import pytest
from pydantic import AwareDatetime, Field

from events.models import (
    ALL_EVENTS,
    ContractModel,
    Currency,
    Customer,
    LineItem,
    OrderId,
    OrderShipped,
)
from tools.contract.consumers import (
    Consumer,
    ConsumerContractError,
    Published,
    check,
    load_consumers,
    published_versions,
    violations,
)

LOYALTY = "loyalty (examples/subscriber)"
SERVICES = ("orders", "workflow", "approvals", "notifications")


class ShippedWithoutTotal(ContractModel):
    """OrderShipped's data as a careless producer change would make it: no ``total``."""

    order_id: OrderId
    customer: Customer
    items: list[LineItem] = Field(min_length=1, max_length=50)
    currency: Currency
    shipped_at: AwareDatetime


class OrderShippedWithoutTotal(OrderShipped):
    version = 2
    data: ShippedWithoutTotal  # type: ignore[assignment]


class ShippedWithNumericTotal(ShippedWithoutTotal):
    total: float


class OrderShippedWithNumericTotal(OrderShipped):
    version = 2
    data: ShippedWithNumericTotal  # type: ignore[assignment]


def with_variant(variant: type[OrderShipped]) -> dict[str, list[Published]]:
    events = [variant if e is OrderShipped else e for e in ALL_EVENTS]
    return published_versions(events)


def test_every_consumer_reads_what_every_published_version_carries() -> None:
    check(load_consumers(), published_versions())


def test_every_consumer_has_a_declaration() -> None:
    names = [c.name for c in load_consumers()]

    assert names == [*SERVICES, LOYALTY]


def test_our_services_declare_exactly_the_events_the_contract_names_them_consumers_of() -> None:
    reads = {c.name: c.reads for c in load_consumers()}

    for event in ALL_EVENTS:
        readers = {name for name in SERVICES if event.detail_type in reads[name]}
        assert readers == set(event.consumers), event.detail_type


def test_dropping_a_field_the_example_subscriber_reads_fails_naming_it() -> None:
    published = with_variant(OrderShippedWithoutTotal)

    with pytest.raises(ConsumerContractError) as failure:
        check(load_consumers(), published)

    message = str(failure.value)
    assert (
        f"consumer {LOYALTY} reads OrderShipped data.total, but OrderShipped v2 "
        "(as the model generates it) has no such field"
    ) in message
    broken = {(v.consumer, v.detail_type, v.field) for v in failure.value.violations}
    assert (LOYALTY, "OrderShipped", "data.total") in broken
    assert ("orders", "OrderShipped", "data.total") not in broken  # orders does not read it


def test_retyping_a_field_a_consumer_reads_fails_naming_it() -> None:
    published = with_variant(OrderShippedWithNumericTotal)

    with pytest.raises(ConsumerContractError) as failure:
        check(load_consumers(), published)

    assert (
        f"consumer {LOYALTY} reads OrderShipped data.total, but its type differs between "
        "versions (v1: string, v2 (as the model generates it): number)"
    ) in str(failure.value)


OBJECT_SCHEMA = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"$ref": "#/$defs/Data"},
    },
    "$defs": {
        "Data": {
            "type": "object",
            "required": ["lines"],
            "properties": {
                "lines": {"type": "array", "items": {"$ref": "#/$defs/Line"}},
                "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
        },
        "Line": {
            "type": "object",
            "required": ["sku"],
            "properties": {"sku": {"type": "string"}, "gift": {"type": "boolean"}},
        },
    },
}


def consumer(*paths: str) -> Consumer:
    return Consumer("someone", {"Thing": paths})


def versions(examples: dict[str, object]) -> dict[str, list[Published]]:
    return {"Thing": [Published("Thing", "v1", OBJECT_SCHEMA, examples)]}


def test_paths_walk_references_and_arrays_and_examples_must_carry_required_reads() -> None:
    good = {"data": {"lines": [{"sku": "A"}, {"sku": "B"}]}}
    missing = {"data": {"lines": [{"sku": "A"}, {"gift": True}]}}

    assert violations(consumer("data.lines[].sku"), versions({"good": good})) == []
    (problem,) = violations(consumer("data.lines[].sku"), versions({"bad": missing}))
    assert "example 'bad' does not carry it" in problem.problem


def test_an_optional_field_must_be_marked_as_such() -> None:
    published = versions({"minimal": {"data": {"lines": [{"sku": "A"}]}}})

    problems = [v.problem for v in violations(consumer("data.note"), published)]

    assert problems == [
        "Thing v1 does not require it",
        "the v1 example 'minimal' does not carry it",
    ]
    assert violations(consumer("data.note?", "data.lines[].gift?"), published) == []


def test_a_field_or_event_nobody_publishes_is_reported() -> None:
    (no_field,) = violations(consumer("data.colour?"), versions({}))
    (no_event,) = violations(Consumer("someone", {"Nothing": ("data.x",)}), versions({}))

    assert "has no such field" in no_field.problem
    assert "no such event is published" in no_event.problem
