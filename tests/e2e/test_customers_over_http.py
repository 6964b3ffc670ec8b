"""Signed-in customers over real HTTP: tokens from moto's Cognito (server mode), checked by
the local gateway as API Gateway's JWT authorizer checks them, and the `shop` commands a
developer uses to get them."""

from __future__ import annotations

import pytest

from local import cli, http_client
from local.customers import bearer
from local.server import LocalServer
from tests.e2e.conftest import customer, place
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(120)


def test_a_customer_reads_and_lists_only_their_own_orders(server: LocalServer) -> None:
    # Given Ada and Barbara, each signed in with their own id token
    ada, barbara = "ada.journey@example.com", "barbara.journey@example.com"
    barbaras = place(server, barbara)

    # When Ada places an order
    adas = place(server, ada)

    # Then she reads it, cannot read Barbara's (the answer of a missing order), and her list
    # holds hers only
    mine = http_client.send("GET", f"{server.url}/orders/{adas}", customer(server, ada))
    assert mine.status == 200
    assert mine.json()["customer"] == {"name": "Ada Journey", "email": ada}
    theirs = http_client.send("GET", f"{server.url}/orders/{barbaras}", customer(server, ada))
    missing = http_client.send(
        "GET", f"{server.url}/orders/ord_0123456789abcdef0123456789abcdef", customer(server, ada)
    )
    assert (theirs.status, theirs.body) == (404, missing.body)
    listed = wait_until(
        lambda: _listed(server, ada) or None, what="Ada's order in her list (a GSI read)"
    )
    assert listed == [adas]
    assert barbaras in _listed(server, barbara)


def test_a_signed_in_customer_places_the_sample_order_priced_from_the_catalogue(
    server: LocalServer,
) -> None:
    # Given customer B has an order, and customer A signs in
    a, b = "a.catalogue@example.com", "b.catalogue@example.com"
    bs = place(server, b)

    # When A places the spec's sample order: SKUs and quantities only
    placed = http_client.post_json(
        f"{server.url}/orders",
        {"items": [{"sku": "shoes", "quantity": 5}, {"sku": "socks", "quantity": 2}]},
        customer(server, a),
    )

    # Then the catalogue priced it, for A
    assert placed.status == 201, placed.text
    order = placed.json()
    assert order["items"] == [
        {"sku": "shoes", "name": "Walking shoes", "quantity": 5, "unit_price": "89.00"},
        {"sku": "socks", "name": "Wool socks, pair", "quantity": 2, "unit_price": "12.50"},
    ]
    assert (order["total"], order["currency"]) == ("470.00", "EUR")
    assert order["customer"]["email"] == a
    # and A reads their own order back, while B's is a 404 to them
    mine = http_client.send("GET", f"{server.url}/orders/{order['order_id']}", customer(server, a))
    assert mine.status == 200
    # the workflow may already have moved the order on (status, updated_at) by the time it is read
    assert _placed_part(mine.json()) == _placed_part(order)
    theirs = http_client.send("GET", f"{server.url}/orders/{bs}", customer(server, a))
    assert theirs.status == 404


def _placed_part(order: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in order.items() if key not in ("status", "updated_at")}


def _listed(server: LocalServer, email: str) -> list[str]:
    page = http_client.send("GET", f"{server.url}/orders", customer(server, email))
    assert page.status == 200
    return [order["order_id"] for order in page.json()["orders"]]


def test_without_a_token_the_api_answers_as_api_gateway_does(server: LocalServer) -> None:
    response = http_client.post_json(f"{server.url}/orders", {"items": []}, bearer("not-a-token"))

    assert response.status == 401
    assert response.json() == {"message": "Unauthorized"}
    assert response.headers["www-authenticate"].startswith('Bearer scope="" error="invalid_token"')


def test_shop_commands_add_a_customer_print_a_token_and_place_an_order(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server.moto is not None
    monkeypatch.setenv("SHOP_LOCAL_PREFIX", server.settings.prefix)
    moto, email = ["--moto-url", server.moto.url], "grace.cli@example.com"

    assert cli.main(["customers", "add", email, "--name", "Grace Hopper", *moto]) == 0
    added = capsys.readouterr().out
    password = added.split("password (shown once): ")[1].strip()
    assert cli.main(["customers", "token", email, "--password", password, *moto]) == 0
    token = capsys.readouterr().out.strip()
    placed = cli.main(
        ["orders", "place", "--email", email, "--password", password, "--url", server.url, *moto]
    )

    assert placed == 0
    assert '"name": "Grace Hopper"' in capsys.readouterr().out
    listing = http_client.send("GET", f"{server.url}/orders", bearer(token))
    assert listing.status == 200
    assert cli.main(["customers", "token", email, "--password", "wrong", *moto]) == 1
    assert "NotAuthorizedException" in capsys.readouterr().err
