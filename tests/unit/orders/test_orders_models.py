"""The API's request model: SKUs and quantities, as strict as the contract, closed to
unknown fields."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from events.models import LineItem, OrderSummary
from services.orders.models import OrderLineInput, PlaceOrderRequest
from tests.unit.orders.samples import request_body


def _error_locs(body: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as caught:
        PlaceOrderRequest.model_validate(body)
    return [tuple(e["loc"]) for e in caught.value.errors()]


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    # The parts of a JSON Schema that decide what validates (not titles or descriptions).
    ignored = {"title", "description", "examples", "additionalProperties"}
    return {k: v for k, v in schema.items() if k not in ignored}


def test_a_line_is_a_sku_and_a_quantity_only() -> None:
    ours = OrderLineInput.model_json_schema()
    contract = LineItem.model_json_schema()["properties"]

    assert ours["additionalProperties"] is False
    assert set(ours["properties"]) == set(ours["required"]) == {"sku", "quantity"}
    assert _constraints(ours["properties"]["sku"]) == _constraints(contract["sku"])
    assert ours["properties"]["quantity"]["minimum"] == contract["quantity"]["minimum"]


@pytest.mark.parametrize("field", ["name", "unit_price", "total", "currency"])
def test_names_prices_and_currency_cannot_be_sent(field: str) -> None:
    body = request_body()
    body["items"][0][field] = "0"
    assert _error_locs(body) == [("items", 0, field)]
    assert _error_locs(request_body(**{field: "0"})) == [(field,)]


def test_the_number_of_lines_is_bounded_as_in_the_contract() -> None:
    ours = PlaceOrderRequest.model_json_schema()["properties"]["items"]
    contract = OrderSummary.model_json_schema()["properties"]["items"]

    assert (ours["minItems"], ours["maxItems"]) == (contract["minItems"], contract["maxItems"])


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
        ({"items": [{"sku": "TEA-01", "quantity": 0}]}, ("items", 0, "quantity")),
        ({"items": [{"sku": "no spaces", "quantity": 1}]}, ("items", 0, "sku")),
        ({"items": []}, ("items",)),
        ({"items": [request_body()["items"][0]] * 51}, ("items",)),
    ],
)
def test_invalid_requests_name_the_field(change: dict[str, Any], loc: tuple[str, ...]) -> None:
    assert _error_locs(request_body(**change)) == [loc]
