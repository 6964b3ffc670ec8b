"""Whatever a client sends the orders API, it answers like an API: never a 5xx, never an
unhandled exception, and nothing is stored unless the request was a valid order.

Requests go through the real handler as API Gateway HTTP API (payload 2.0) events, on moto.
Bodies come from the committed OpenAPI document: conforming orders, the same broken in one or
a few places, arbitrary JSON, and bytes that are not JSON at all.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from local.http_events import HttpRequest, HttpResponse
from services.common.wiring import HttpApiTrigger, HttpRoute
from services.orders.models import PlaceOrderRequest
from services.orders.wiring import WIRING
from tests.property.conftest import OrdersApi, hostile_settings
from tests.property.openapi_strategies import (
    ANY_JSON,
    HUGE_STRINGS,
    STRANGE_STRINGS,
    broken,
    conforming,
    load_openapi,
    request_body_schema,
)

OPENAPI = load_openapi()
ORDER = conforming(OPENAPI, request_body_schema(OPENAPI, "/orders", "post"))


def _route(method: str, path: str) -> HttpRoute:
    trigger = WIRING.function("api").trigger
    assert isinstance(trigger, HttpApiTrigger)
    return next(r for r in trigger.routes if (r.method, r.path) == (method, path))


POST_ROUTE = _route("POST", "/orders")
GET_ROUTE = _route("GET", "/orders/{order_id}")
LIST_ROUTE = _route("GET", "/orders")

JSON_TEXT = st.one_of(
    ORDER.map(json.dumps),
    broken(ORDER).map(lambda value: json.dumps(value, allow_nan=True)),
    ANY_JSON.map(lambda value: json.dumps(value, allow_nan=True)),
)
NOT_JSON = st.one_of(
    ORDER.map(lambda value: json.dumps(value)[: len(json.dumps(value)) // 2]),  # cut short
    STRANGE_STRINGS,
    st.just(""),
)
BODIES: st.SearchStrategy[bytes] = st.one_of(
    JSON_TEXT.map(lambda text: text.encode("utf-8")),
    NOT_JSON.map(lambda text: text.encode("utf-8")),
    st.binary(max_size=256),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "",
    ]
)
IDEMPOTENCY_KEYS = st.one_of(
    st.none(),
    st.uuids().map(str),
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "é" * 300]),
)
HEADER_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,30}", fullmatch=True)
EXTRA_HEADERS = st.dictionaries(HEADER_NAMES, st.text(max_size=100), max_size=4)


def sendable(body: bytes, content_type: str) -> str:
    """API Gateway passes a text body as text and anything else base64-encoded: bytes that
    are not UTF-8 can only arrive as binary."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return content_type


def assert_answered_like_an_api(response: HttpResponse) -> None:
    assert response.status < 500, response.body[:500]
    assert b"Traceback" not in response.body
    if response.body:
        json.loads(response.body)  # every answer, errors included, is JSON


def is_valid_order(body: bytes) -> bool:
    """The oracle: what the API's own model makes of the body, parsed as the API parses it."""
    try:
        PlaceOrderRequest.model_validate(json.loads(body))
    except (ValueError, ValidationError, RecursionError):
        return False
    return True


@hostile_settings(max_examples=80)
@given(
    body=BODIES,
    content_type=CONTENT_TYPES,
    idempotency_key=IDEMPOTENCY_KEYS,
    extra=EXTRA_HEADERS,
)
def test_post_never_fails_and_stores_nothing_that_is_not_a_valid_order(
    orders_api: OrdersApi,
    body: bytes,
    content_type: str,
    idempotency_key: str | None,
    extra: dict[str, str],
) -> None:
    headers = {**extra, "content-type": sendable(body, content_type)}
    if idempotency_key is not None:
        headers["idempotency-key"] = idempotency_key
    before = orders_api.count("orders"), orders_api.count("idempotency")

    response = orders_api.call(HttpRequest("POST", "/orders", "", headers, body), POST_ROUTE, {})

    assert_answered_like_an_api(response)
    stored = orders_api.count("orders") - before[0]
    if response.status == 201:
        assert is_valid_order(body)
        assert stored == (0 if response.headers.get("idempotent-replayed") == "true" else 1)
    else:
        assert 400 <= response.status < 500
        assert stored == 0
        assert orders_api.count("idempotency") == before[1]  # not even a key was kept


@hostile_settings(max_examples=25)
@given(order=ORDER, other=ORDER)
def test_a_valid_order_is_stored_once_however_often_it_is_retried(
    orders_api: OrdersApi, order: dict[str, Any], other: dict[str, Any]
) -> None:
    # A key of its own per example: the account (and its idempotency records) is shared.
    headers = {"content-type": "application/json", "idempotency-key": str(uuid.uuid4())}
    before = orders_api.count("orders")

    def post(body: dict[str, Any]) -> HttpResponse:
        request = HttpRequest("POST", "/orders", "", headers, json.dumps(body).encode())
        return orders_api.call(request, POST_ROUTE, {})

    first, again, reused = post(order), post(order), post(other)

    for response in (first, again, reused):
        assert_answered_like_an_api(response)
    stored = orders_api.count("orders") - before
    if first.status == 201:
        assert again.status == 201
        assert again.json()["order_id"] == first.json()["order_id"]
        # The same key with another body is a conflict, unless it is the same order again.
        assert reused.status in (201, 409, 422)
        assert reused.status != 201 or reused.json()["order_id"] == first.json()["order_id"]
        assert stored == 1
    else:
        # The OpenAPI document cannot say everything the service checks (a SKU for sale in
        # the catalogue, one currency, a quantity within the limit): such an order is
        # refused, stores nothing and leaves the key free.
        assert (first.status, again.status) == (422, 422)
        assert stored == (1 if reused.status == 201 else 0)


ORDER_IDS = st.one_of(
    st.from_regex(r"ord_[0-9a-f]{32}", fullmatch=True),
    STRANGE_STRINGS,
    HUGE_STRINGS,
    st.text(alphabet="/%?#&=.\\", max_size=10),
)
METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"])
PATHS = st.one_of(
    st.just("/orders"),
    st.text(max_size=60).map(lambda text: "/" + text),
    st.builds("/orders/{}/{}".format, st.text(max_size=10), st.text(max_size=10)),
)


@dataclass(frozen=True)
class Elsewhere:
    """A request the API does not serve as placing an order: a read of any id, or any
    method on any path."""

    method: str
    path: str
    route: HttpRoute
    params: dict[str, str]
    query: str
    body: bytes
    content_type: str


READS = st.builds(
    lambda order_id, query: Elsewhere(
        "GET", f"/orders/{order_id}", GET_ROUTE, {"order_id": order_id}, query, b"", ""
    ),
    ORDER_IDS,
    st.text(max_size=60),
)
PAGE_QUERIES = st.one_of(
    st.text(max_size=60),
    st.builds(
        "limit={}&next_token={}".format,
        st.one_of(st.integers(-5, 500).map(str), STRANGE_STRINGS),
        st.one_of(st.text(max_size=40), HUGE_STRINGS, st.binary(max_size=40).map(bytes.hex)),
    ),
)
LISTS = st.builds(
    lambda query: Elsewhere("GET", "/orders", LIST_ROUTE, {}, query, b"", ""), PAGE_QUERIES
)
ANYWHERE = st.builds(
    lambda method, path, body, content_type: Elsewhere(
        method, path, HttpRoute(method, path), {}, "", body, sendable(body, content_type)
    ),
    METHODS,
    PATHS,
    BODIES,
    CONTENT_TYPES,
).filter(lambda request: request.path != "/orders")  # the tests above and below cover it


@hostile_settings(max_examples=80)
@given(request=st.one_of(READS, ANYWHERE), extra=EXTRA_HEADERS)
def test_reading_any_id_or_calling_any_route_answers_a_4xx_and_writes_nothing(
    orders_api: OrdersApi, request: Elsewhere, extra: dict[str, str]
) -> None:
    before = orders_api.count("orders")
    headers = {**extra, "content-type": request.content_type}
    http = HttpRequest(request.method, request.path, request.query, headers, request.body)

    # API Gateway forwards only declared routes; the function must still cope with a path
    # or method it does not serve, or an id it never issued.
    response = orders_api.call(http, request.route, request.params)

    assert_answered_like_an_api(response)
    assert 400 <= response.status < 500  # nothing was ever placed here
    assert orders_api.count("orders") == before


@hostile_settings(max_examples=60)
@given(request=LISTS, extra=EXTRA_HEADERS)
def test_listing_with_any_query_answers_a_page_or_a_4xx_and_writes_nothing(
    orders_api: OrdersApi, request: Elsewhere, extra: dict[str, str]
) -> None:
    before = orders_api.count("orders")
    http = HttpRequest("GET", "/orders", request.query, extra, b"")

    response = orders_api.call(http, LIST_ROUTE, {})

    assert_answered_like_an_api(response)
    assert response.status == 200 or 400 <= response.status < 500
    if response.status == 200:
        assert response.json() == {"orders": [], "next_token": None}  # nothing placed here
    assert orders_api.count("orders") == before
