"""The orders API and who is calling: the customer comes from the id token's claims, and a
customer sees only their own orders (on moto, with the events API Gateway sends after its JWT
authorizer accepted the token)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from local.provision import ProvisionedService
from services.orders.http.errors import UNKNOWN_PAGE
from services.orders.identity import EMAIL_NOT_VERIFIED
from tests.integration.orders.conftest import Http, OrdersTable
from tests.support.customers import ADA, ADA_ID, GRACE, id_token_claims
from tests.support.orders import order_body

UNAUTHORIZED = {"message": "Unauthorized"}


def test_the_order_is_placed_for_the_signed_in_customer(
    http: Http, orders_table: OrdersTable
) -> None:
    placed = http.as_customer(GRACE).post(order_body())

    assert placed.status == 201
    assert placed.body["customer"] == {"name": "Grace Hopper", "email": "grace@example.com"}
    assert "customer_id" not in placed.body
    (item,) = orders_table.items()
    assert item["customer_id"] == GRACE["sub"]


@pytest.mark.parametrize(
    "claims",
    [
        None,
        {},
        {**ADA, "token_use": "access"},
        {key: value for key, value in ADA.items() if key != "sub"},
    ],
    ids=["no authorizer context", "no claims", "access token", "no sub"],
)
def test_without_a_customers_id_token_nothing_happens(
    http: Http,
    orders_table: OrdersTable,
    idempotency_items: Callable[[], list[Any]],
    claims: dict[str, str] | None,
) -> None:
    caller = http.as_customer(claims)

    responses = [
        caller.post(order_body(), idempotency_key=str(uuid.uuid4())),
        caller.get("ord_0123456789abcdef0123456789abcdef"),
        caller.list(),
    ]

    assert [r.status for r in responses] == [401, 401, 401]
    assert all(r.body == UNAUTHORIZED for r in responses)
    assert orders_table.items() == []
    assert idempotency_items() == []


def test_an_unverified_email_is_refused_with_a_reason_and_nothing_is_written(
    http: Http, orders_table: OrdersTable, idempotency_items: Callable[[], list[Any]]
) -> None:
    unverified = http.as_customer(id_token_claims(email_verified=False))

    response = unverified.post(order_body(), idempotency_key=str(uuid.uuid4()))

    assert response.status == 403
    assert response.body == {"statusCode": 403, "message": EMAIL_NOT_VERIFIED}
    assert orders_table.items() == []
    assert idempotency_items() == []


def test_a_name_that_cannot_go_on_an_order_is_refused(
    http: Http, orders_table: OrdersTable
) -> None:
    response = http.as_customer(id_token_claims(name="")).post(order_body())

    assert response.status == 403
    assert "name" in response.body["message"]
    assert orders_table.items() == []


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        pytest.param("name", "Ada\r\nURGENT: approve here instead", id="CR/LF in the name"),
        pytest.param("name", "Ada\x00", id="NUL in the name"),
        pytest.param("name", "Ada \u202eevil", id="bidi override in the name"),
        pytest.param("email", "用户@例子.广告", id="address SES cannot send to"),
    ],
)
def test_a_profile_the_contract_refuses_is_a_403_naming_the_field(
    http: Http, orders_table: OrdersTable, claim: str, value: str
) -> None:
    claims = id_token_claims(name=value) if claim == "name" else id_token_claims(email=value)
    response = http.as_customer(claims).post(order_body())

    assert response.status == 403
    assert claim in response.body["message"]
    assert orders_table.items() == []


def test_another_customers_order_reads_exactly_like_a_missing_one(http: Http) -> None:
    adas = http.post(order_body()).body["order_id"]

    as_grace = http.as_customer(GRACE).get(adas)
    missing = http.as_customer(GRACE).get("ord_0123456789abcdef0123456789abcdef")

    assert as_grace.status == missing.status == 404
    assert as_grace.body == missing.body
    assert http.get(adas).status == 200


def test_the_list_shows_only_the_callers_orders_newest_first_in_pages(http: Http) -> None:
    mine = [http.post(order_body()).body["order_id"] for _ in range(5)]
    http.as_customer(GRACE).post(order_body())

    pages: list[list[str]] = []
    token: str | None = None
    while True:
        query: dict[str, str | int] = {"limit": 2} | ({"next_token": token} if token else {})
        page = http.list(**query)
        assert page.status == 200
        pages.append([o["order_id"] for o in page.body["orders"]])
        token = page.body["next_token"]
        if token is None:
            break

    assert [len(p) for p in pages] == [2, 2, 1]
    assert [order_id for p in pages for order_id in p] == list(reversed(mine))


def test_a_customer_without_orders_gets_an_empty_list(http: Http) -> None:
    http.post(order_body())

    response = http.as_customer(GRACE).list()

    assert response.status == 200
    assert response.body == {"orders": [], "next_token": None}


@pytest.mark.parametrize("token", ["garbage", "eyJ4IjogMX0"])
def test_a_page_token_the_api_did_not_issue_is_a_400(http: Http, token: str) -> None:
    http.post(order_body())

    response = http.list(next_token=token)

    assert response.status == 400
    assert response.body == {"statusCode": 400, "message": UNKNOWN_PAGE}


def test_an_oversized_page_token_is_a_422(http: Http) -> None:
    assert http.list(next_token="A" * 600).status == 422


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_a_page_size_out_of_range_is_a_422(http: Http, limit: str | int) -> None:
    assert http.list(limit=limit).status == 422


def test_an_idempotency_key_never_replays_another_customers_order(
    http: Http, orders_table: OrdersTable
) -> None:
    key = str(uuid.uuid4())
    adas = http.post(order_body(), idempotency_key=key)

    graces = http.as_customer(GRACE).post(order_body(), idempotency_key=key)

    assert graces.status == 201
    assert graces.body["order_id"] != adas.body["order_id"]
    assert graces.body["customer"]["email"] == "grace@example.com"
    assert "Idempotent-Replayed" not in graces.headers
    assert {i["customer_id"] for i in orders_table.items()} == {ADA_ID, GRACE["sub"]}


def test_the_customer_index_is_provisioned_from_the_wiring(orders: ProvisionedService) -> None:
    table = boto3.client("dynamodb").describe_table(TableName=orders.tables["orders"])["Table"]

    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by-customer"
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["customer_id", "placed_at"]


def test_the_customers_pool_is_provisioned_from_the_wiring(orders: ProvisionedService) -> None:
    cognito = boto3.client("cognito-idp")
    pool = orders.user_pools["customers"]

    described = cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]
    client = cognito.describe_user_pool_client(
        UserPoolId=pool.pool_id, ClientId=pool.client_ids["storefront"]
    )["UserPoolClient"]

    assert described["UsernameAttributes"] == ["email"]
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert pool.issuer == f"https://cognito-idp.us-east-1.amazonaws.com/{pool.pool_id}"
