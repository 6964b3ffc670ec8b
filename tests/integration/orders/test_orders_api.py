"""The orders HTTP API on moto, driven with the events API Gateway (HTTP API 2.0) sends."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from local.provision import ProvisionedService
from services.orders import ordering
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.domain.catalogue import MAX_QUANTITY_PER_SKU, CatalogueEntry
from services.orders.domain.placing import place_order
from services.orders.http.errors import KEY_IN_PROGRESS, KEY_REUSED
from services.orders.http.responses import REPLAYED_HEADER
from tests.integration.conftest import EmittedMetrics
from tests.integration.orders.conftest import Http, HttpResponse, OrdersTable, stream_records
from tests.support.orders import order_body


def test_a_placed_order_can_be_read_back(http: Http, orders_table: OrdersTable) -> None:
    placed = http.post(order_body())

    assert placed.status == 201
    order = placed.body
    assert order["order_id"].startswith("ord_")
    assert placed.headers["Location"] == f"/orders/{order['order_id']}"
    assert order["status"] == "placed"
    assert order["total"] == "21.00"  # 2 x 4.50 + 1 x 12.00, computed by the server
    assert order["customer"] == {"name": "Ada Lovelace", "email": "ada@example.com"}
    assert order["placed_at"] == order["updated_at"]
    assert order["placed_at"].endswith(("Z", "+00:00"))

    read = http.get(order["order_id"])

    assert read.status == 200
    assert read.body == order
    assert len(orders_table.items()) == 1


class Invalid(NamedTuple):
    change: Callable[[dict[str, Any]], object]
    field: list[str | int]
    error_type: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            Invalid(
                lambda b: b.update(customer={"name": "Eve", "email": "victim@example.com"}),
                ["body", "customer"],
                "extra_forbidden",
            ),
            id="customer in the body",
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][0].update(quantity=0),
                ["body", "items", 0, "quantity"],
                "greater_than_equal",
            ),
            id="quantity 0",
        ),
        pytest.param(
            Invalid(lambda b: b.update(currency="EUR"), ["body", "currency"], "extra_forbidden"),
            id="currency is the catalogue's",
        ),
        pytest.param(
            Invalid(lambda b: b.update(discount="100%"), ["body", "discount"], "extra_forbidden"),
            id="extra",
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][1].update(colour="blue"),
                ["body", "items", 1, "colour"],
                "extra_forbidden",
            ),
            id="extra in a line",
        ),
        pytest.param(
            Invalid(lambda b: b.update(items=[]), ["body", "items"], "too_short"), id="no items"
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][0].update(unit_price="0"),
                ["body", "items", 0, "unit_price"],
                "extra_forbidden",
            ),
            id="a price from the client",
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][0].update(sku="GHOST-1"),
                ["body", "items", 0, "sku"],
                "unknown_sku",
            ),
            id="unknown SKU",
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][1].update(sku="hat"),
                ["body", "items", 1, "sku"],
                "inactive_sku",
            ),
            id="inactive SKU",
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][1].update(sku="matcha"),
                ["body", "items", 1, "sku"],
                "mixed_currency",
            ),
            id="two currencies",
        ),
        pytest.param(
            Invalid(
                lambda b: b["items"][0].update(quantity=MAX_QUANTITY_PER_SKU + 1),
                ["body", "items", 0, "sku"],
                "quantity_over_limit",
            ),
            id="quantity over the limit",
        ),
        pytest.param(
            Invalid(lambda b: b.pop("items"), ["body", "items"], "missing"),
            id="missing items",
        ),
    ],
)
def test_invalid_orders_are_refused_field_by_field_and_nothing_is_written(
    http: Http,
    orders_table: OrdersTable,
    idempotency_items: Callable[[], list[Any]],
    case: Invalid,
) -> None:
    body = order_body()
    case.change(body)

    response = http.post(body, idempotency_key=str(uuid.uuid4()))

    assert response.status == 422
    assert response.body["statusCode"] == 422
    errors = response.body["detail"]
    assert [e["loc"] for e in errors] == [case.field]
    assert errors[0]["type"] == case.error_type
    assert errors[0]["msg"]  # a sentence a person can act on
    assert orders_table.items() == []
    assert idempotency_items() == []


def test_every_problem_is_reported_at_once(http: Http) -> None:
    body = order_body(currency="EUR", extra=1)
    body["items"][0]["quantity"] = 0

    response = http.post(body)

    assert response.status == 422
    assert {tuple(e["loc"]) for e in response.body["detail"]} == {
        ("body", "currency"),
        ("body", "extra"),
        ("body", "items", 0, "quantity"),
    }


def test_every_line_the_catalogue_cannot_price_is_named_at_once(
    http: Http, orders_table: OrdersTable
) -> None:
    body = order_body(items=[{"sku": "GHOST-1", "quantity": 1}, {"sku": "hat", "quantity": 1}])

    response = http.post(body)

    assert response.status == 422
    assert [(e["loc"], e["type"]) for e in response.body["detail"]] == [
        (["body", "items", 0, "sku"], "unknown_sku"),
        (["body", "items", 1, "sku"], "inactive_sku"),
    ]
    assert "'GHOST-1'" in response.body["detail"][0]["msg"]
    assert "'hat'" in response.body["detail"][1]["msg"]
    assert orders_table.items() == []


def test_the_specs_sample_order_is_priced_from_the_catalogue(http: Http) -> None:
    body = order_body(items=[{"sku": "shoes", "quantity": 5}, {"sku": "socks", "quantity": 2}])

    placed = http.post(body)

    assert placed.status == 201
    assert placed.body["items"] == [
        {"sku": "shoes", "name": "Walking shoes", "quantity": 5, "unit_price": "89.00"},
        {"sku": "socks", "name": "Wool socks, pair", "quantity": 2, "unit_price": "12.50"},
    ]
    assert (placed.body["total"], placed.body["currency"]) == ("470.00", "EUR")


def test_a_jpy_order_has_a_total_without_decimals(http: Http) -> None:
    placed = http.post(order_body(items=[{"sku": "matcha", "quantity": 3}]))

    assert placed.status == 201
    assert (placed.body["total"], placed.body["currency"]) == ("4500", "JPY")


def test_malformed_json_is_a_422(http: Http, orders_table: OrdersTable) -> None:
    response = http.post('{"items": ')

    assert response.status == 422
    assert response.body["detail"][0]["type"] == "json_invalid"
    assert orders_table.items() == []


def test_an_order_total_too_large_for_the_contract_is_refused(
    http: Http, orders_table: OrdersTable, catalogue: DynamoCatalogue
) -> None:
    catalogue.put(
        CatalogueEntry(sku="GOLD", name="Gold bar", unit_price="999999999.00", currency="EUR")
    )

    response = http.post(order_body(items=[{"sku": "GOLD", "quantity": 2}]))

    assert response.status == 422
    assert "too large" in response.body["detail"][0]["msg"]
    assert orders_table.items() == []


@pytest.mark.parametrize("order_id", ["ord_0123456789abcdef0123456789abcdef", "bad.id", "x" * 300])
def test_an_unknown_order_is_a_404(http: Http, order_id: str) -> None:
    response = http.get(order_id)

    assert response.status == 404
    assert response.body == {"statusCode": 404, "message": "order not found"}


def test_an_unknown_route_is_a_404(http: Http) -> None:
    response = http.send("DELETE", "/orders/x")

    assert response.status == 404


# --- Idempotency-Key ----------------------------------------------------------------------


def test_a_retry_with_the_same_key_and_body_returns_the_same_order(
    http: Http, orders_table: OrdersTable
) -> None:
    key = str(uuid.uuid4())

    first = http.post(order_body(), idempotency_key=key)
    retry = http.post(order_body(), idempotency_key=key)

    assert first.status == retry.status == 201
    assert retry.body == first.body
    assert retry.headers["Location"] == first.headers["Location"]
    assert REPLAYED_HEADER not in first.headers
    assert retry.headers[REPLAYED_HEADER] == "true"
    assert len(orders_table.items()) == 1


def test_a_placed_order_is_counted_once_however_often_it_is_retried(
    http: Http, metrics: EmittedMetrics
) -> None:
    key = str(uuid.uuid4())

    http.post(order_body(), idempotency_key=key)
    http.post(order_body(), idempotency_key=key)
    http.post(order_body())

    assert metrics["OrderPlaced"] == 2


def test_the_same_key_with_another_body_is_a_409(http: Http, orders_table: OrdersTable) -> None:
    key = str(uuid.uuid4())
    first = http.post(order_body(), idempotency_key=key)

    other = http.post(order_body(items=[{"sku": "shoes", "quantity": 1}]), idempotency_key=key)

    assert other.status == 409
    assert other.body == {"statusCode": 409, "message": KEY_REUSED}
    assert [item["order_id"] for item in orders_table.items()] == [first.body["order_id"]]


def test_without_a_key_every_post_places_a_new_order(http: Http, orders_table: OrdersTable) -> None:
    first = http.post(order_body())
    second = http.post(order_body())

    assert first.status == second.status == 201
    assert first.body["order_id"] != second.body["order_id"]
    assert len(orders_table.items()) == 2


def test_different_keys_place_different_orders(http: Http, orders_table: OrdersTable) -> None:
    first = http.post(order_body(), idempotency_key="key-1")
    second = http.post(order_body(), idempotency_key="key-2")

    assert first.body["order_id"] != second.body["order_id"]
    assert len(orders_table.items()) == 2


def test_an_empty_key_is_refused(http: Http, orders_table: OrdersTable) -> None:
    response = http.post(order_body(), idempotency_key="")

    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["header", "idempotency-key"]
    assert orders_table.items() == []


def test_a_retry_while_the_first_request_is_still_running_is_a_409(
    http: Http, orders_table: OrdersTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = str(uuid.uuid4())
    overlapping: list[HttpResponse] = []

    def place_while_a_retry_arrives(*args: Any, **kwargs: Any) -> Any:
        overlapping.append(http.post(order_body(), idempotency_key=key))
        return place_order(*args, **kwargs)

    monkeypatch.setattr(ordering, "place_order", place_while_a_retry_arrives)

    first = http.post(order_body(), idempotency_key=key)

    assert first.status == 201
    (retry,) = overlapping
    assert retry.status == 409
    assert retry.body == {"statusCode": 409, "message": KEY_IN_PROGRESS}
    assert len(orders_table.items()) == 1


# --- abuse limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(("[" * 50_000 + "]" * 50_000, "larger than"), id="50,000 nested arrays"),
        pytest.param(("[" * 1000 + "]" * 1000, "nests deeper than"), id="1,000 nested arrays"),
        pytest.param(
            (json.dumps(order_body(extra=[[[[[[[[1]]]]]]]])), "nests deeper than"),
            id="an order nesting deep inside",
        ),
        pytest.param((json.dumps(order_body(note="x" * 20_000)), "larger than"), id="20 kB"),
    ],
)
def test_a_body_too_large_or_too_deep_is_a_400_before_it_is_parsed(
    http: Http,
    orders: ProvisionedService,
    orders_table: OrdersTable,
    idempotency_items: Callable[[], list[Any]],
    case: tuple[str, str],
) -> None:
    body, says = case

    response = http.post(body, idempotency_key=str(uuid.uuid4()))

    assert response.status == 400
    assert response.body["statusCode"] == 400
    assert says in response.body["message"]
    assert orders_table.items() == []
    assert idempotency_items() == []
    assert stream_records(orders) == []  # no outbox record: no OrderPlaced, ever
