"""The API's request model: as strict as the contract, closed to unknown fields."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from events.models import LineItem, OrderSummary
from services.orders.models import (
    LineItemInput,
    PlaceOrderRequest,
    order_total,
)
from tests.unit.orders.samples import request, request_body


def _error_locs(body: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        PlaceOrderRequest.model_validate(body)
    return [tuple(e["loc"]) for e in caught.value.errors()]


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    # The parts of a JSON Schema that decide what validates (not titles or descriptions).
    ignored = {"title", "description", "examples", "additionalProperties"}
    return {k: v for k, v in schema.items() if k not in ignored}


@pytest.mark.parametrize(("ours", "contract"), [(LineItemInput, LineItem)])
def test_request_parts_are_as_strict_as_the_contract(ours: Any, contract: Any) -> None:
    our_schema = ours.model_json_schema()
    contract_schema = contract.model_json_schema()

    assert our_schema["additionalProperties"] is False
    assert {k: _constraints(v) for k, v in our_schema["properties"].items()} == {
        k: _constraints(v) for k, v in contract_schema["properties"].items()
    }
    assert our_schema["required"] == contract_schema["required"]


def test_the_number_of_lines_is_bounded_as_in_the_contract() -> None:
    ours = PlaceOrderRequest.model_json_schema()["properties"]["items"]
    contract = OrderSummary.model_json_schema()["properties"]["items"]

    assert (ours["minItems"], ours["maxItems"]) == (contract["minItems"], contract["maxItems"])


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        ([("4.50", 2), ("12.00", 1)], "21.00"),
        ([("10", 3)], "30"),
        ([("0.1", 3)], "0.3"),
        ([("1000", 1000)], "1000000"),
        ([("0", 5)], "0"),
    ],
)
def test_totals_are_exact_decimal_sums(prices: list[tuple[str, int]], expected: str) -> None:
    items = [
        LineItem(sku=f"SKU-{i}", name="thing", quantity=quantity, unit_price=price)
        for i, (price, quantity) in enumerate(prices)
    ]

    assert order_total(items) == expected


def test_the_request_total_is_computed_not_sent() -> None:
    assert request().total == "21.00"
    assert ("total",) in _error_locs(request_body(total="1.00"))


def test_unknown_fields_are_refused_at_every_level() -> None:
    body = request_body(coupon="FREE")
    body["items"][0]["colour"] = "red"

    assert sorted(_error_locs(body), key=str) == sorted(
        [("coupon",), ("items", 0, "colour")], key=str
    )


def test_the_customer_cannot_be_named_in_the_body() -> None:
    # Who orders comes from the id token; a body that names a customer is refused.
    body = request_body(customer={"name": "Mallory", "email": "victim@example.com"})

    assert _error_locs(body) == [("customer",)]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"currency": "ABC"}, ("currency",)),
        ({"currency": "eur"}, ("currency",)),
        ({"items": []}, ("items",)),
        ({"items": [request_body()["items"][0]] * 51}, ("items",)),
    ],
)
def test_invalid_requests_name_the_field(change: dict[str, Any], loc: tuple[str, ...]) -> None:
    assert _error_locs(request_body(**change)) == [loc]


def test_a_total_beyond_the_contract_is_refused() -> None:
    line = {"sku": "GOLD", "name": "Gold", "quantity": 1000, "unit_price": "999999999.99"}

    with pytest.raises(ValidationError, match="too large"):
        PlaceOrderRequest.model_validate(request_body(items=[line]))
