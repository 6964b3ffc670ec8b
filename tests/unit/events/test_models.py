"""The models validate strictly, with errors that point at the field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from events.models import (
    OrderApproved,
    OrderPlaced,
    OrderPlacedData,
    UnknownEventError,
    parse_detail,
)
from tools.contract.catalogue import EXAMPLES_DIR


def placed_detail() -> dict[str, Any]:
    example = json.loads((EXAMPLES_DIR / "OrderPlaced.v1.full.json").read_text())
    detail: dict[str, Any] = example["detail"]
    return detail


def errors_for(edit: Callable[[dict[str, Any]], object]) -> list[tuple[tuple[str | int, ...], str]]:
    detail = copy.deepcopy(placed_detail())
    edit(detail["data"])
    with pytest.raises(ValidationError) as raised:
        OrderPlaced.model_validate(detail)
    return [(tuple(error["loc"]), error["type"]) for error in raised.value.errors()]


def test_the_example_is_valid() -> None:
    event = OrderPlaced.model_validate(placed_detail())
    assert event.order_id == "ord_01JPB2D6F8H0J3K5M7N9P1Q4S6"


def test_bad_email() -> None:
    errors = errors_for(lambda d: d["customer"].update(email="grace.hopper@"))
    assert errors == [(("data", "customer", "email"), "value_error")]


def test_zero_quantity() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["items"][1]["quantity"] = 0

    assert errors_for(edit) == [(("data", "items", 1, "quantity"), "greater_than_equal")]


def test_unknown_currency() -> None:
    # Three capital letters, so the pattern passes; the ISO 4217 list does not.
    errors = errors_for(lambda d: d.update(currency="XYZ"))
    assert errors == [(("data", "currency"), "value_error")]


def test_lowercase_currency() -> None:
    errors = errors_for(lambda d: d.update(currency="eur"))
    assert errors == [(("data", "currency"), "string_pattern_mismatch")]


def test_too_many_items() -> None:
    def edit(data: dict[str, Any]) -> None:
        item = {"sku": "PIN-ENAMEL", "name": "Enamel pin", "quantity": 1, "unit_price": "2.00"}
        data["items"] = [item] * 51
        data["total"] = "102.00"

    assert errors_for(edit) == [(("data", "items"), "too_long")]


def test_no_items() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["items"] = []
        data["total"] = "0"

    assert errors_for(edit) == [(("data", "items"), "too_short")]


def test_total_that_is_not_the_sum_of_the_items() -> None:
    detail = copy.deepcopy(placed_detail())
    detail["data"]["total"] = "93.86"
    with pytest.raises(ValidationError) as raised:
        OrderPlaced.model_validate(detail)
    [error] = raised.value.errors()
    assert error["loc"] == ("data",)
    assert "total 93.86 does not equal the sum of the items 93.85" in error["msg"]


def test_money_with_three_decimals() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["items"][0]["unit_price"] = "24.901"

    assert errors_for(edit) == [(("data", "items", 0, "unit_price"), "string_pattern_mismatch")]


def test_naive_datetime() -> None:
    errors = errors_for(lambda d: d.update(placed_at="2025-03-14T09:26:53"))
    assert errors == [(("data", "placed_at"), "timezone_aware")]


def test_naive_occurred_at() -> None:
    detail = copy.deepcopy(placed_detail())
    detail["metadata"]["occurred_at"] = "2025-03-14T09:26:53.589"
    with pytest.raises(ValidationError) as raised:
        OrderPlaced.model_validate(detail)
    assert [e["loc"] for e in raised.value.errors()] == [("metadata", "occurred_at")]


def test_bad_order_id_and_long_comment_are_reported_together() -> None:
    detail = {
        "metadata": placed_detail()["metadata"],
        "data": {"order_id": "ord 1", "decided_at": "2025-03-14T11:02:17Z", "comment": "x" * 501},
    }
    with pytest.raises(ValidationError) as raised:
        OrderApproved.model_validate(detail)
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [
        (("data", "order_id"), "string_pattern_mismatch"),
        (("data", "comment"), "too_long"),  # measured after folding, hence the generic type
    ]


def test_unknown_fields_are_ignored_so_producers_can_add_optional_ones() -> None:
    detail = placed_detail()
    detail["data"]["gift_wrap"] = True
    assert OrderPlaced.model_validate(detail).data == OrderPlacedData.model_validate(
        placed_detail()["data"]
    )


def test_create_fills_the_metadata() -> None:
    data = OrderPlacedData.model_validate(placed_detail()["data"])
    event = OrderPlaced.create(data)
    assert event.metadata.correlation_id == data.order_id
    assert event.metadata.event_version == OrderPlaced.version
    assert event.metadata.occurred_at.tzinfo is not None
    assert event.metadata.occurred_at <= datetime.now(UTC)


def test_parse_detail_picks_the_model_and_refuses_unknown_types() -> None:
    assert isinstance(parse_detail("OrderPlaced", placed_detail()), OrderPlaced)
    with pytest.raises(UnknownEventError, match="OrderPlacd"):
        parse_detail("OrderPlacd", placed_detail())
