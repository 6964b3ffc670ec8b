"""The committed OpenAPI document is what the handler's routes and models generate."""

from __future__ import annotations

import json

from services.orders import openapi


def test_the_committed_openapi_document_is_current() -> None:
    committed = openapi.OPENAPI_PATH.read_text(encoding="utf-8")

    assert committed == openapi.render(), (
        "services/orders/openapi.json is stale: run `python -m services.orders.openapi` "
        "and commit the result"
    )


def test_the_document_describes_every_route_and_its_answers() -> None:
    document = json.loads(openapi.render())

    assert document["info"]["title"] == "shop orders API"
    post = document["paths"]["/orders"]["post"]
    listing = document["paths"]["/orders"]["get"]
    get = document["paths"]["/orders/{order_id}"]["get"]
    assert set(post["responses"]) == {"201", "400", "401", "403", "409", "422"}
    assert set(listing["responses"]) == {"200", "400", "401", "422"}
    assert set(get["responses"]) == {"200", "401", "404", "422"}
    assert [p["name"] for p in listing["parameters"]] == ["limit", "next_token"]
    assert document["components"]["schemas"]["ValidationErrorBody"]["required"] == [
        "statusCode",
        "detail",
    ]
    assert [p["name"] for p in post["parameters"]] == ["idempotency-key"]
    request = document["components"]["schemas"]["PlaceOrderRequest"]
    assert request["additionalProperties"] is False
    assert "total" not in request["properties"]
    assert "customer" not in request["properties"]


def test_every_route_requires_the_customers_id_token() -> None:
    document = json.loads(openapi.render())

    scheme = document["components"]["securitySchemes"]["customer"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == 5
    assert all(op["security"] == [{"customer": []}] for op in operations)
