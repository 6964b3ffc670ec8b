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


def test_the_document_describes_both_routes_and_their_answers() -> None:
    document = json.loads(openapi.render())

    assert document["info"]["title"] == "shop orders API"
    post = document["paths"]["/orders"]["post"]
    get = document["paths"]["/orders/{order_id}"]["get"]
    assert set(post["responses"]) == {"201", "400", "409", "422"}
    assert set(get["responses"]) == {"200", "404", "422"}
    assert document["components"]["schemas"]["ValidationErrorBody"]["required"] == [
        "statusCode",
        "detail",
    ]
    assert [p["name"] for p in post["parameters"]] == ["idempotency-key"]
    request = document["components"]["schemas"]["PlaceOrderRequest"]
    assert request["additionalProperties"] is False
    assert "total" not in request["properties"]
