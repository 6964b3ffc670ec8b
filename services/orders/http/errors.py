"""The orders API's error responses: each refusal in the shape its OpenAPI document promises.

Bad input is a 422 in Powertools' validation shape, with pydantic's message for each field and
never the rejected value; the other refusals are ``{"statusCode", "message"}``.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from services.common.errors import field_errors
from services.common.request_limits import BodyLimits
from services.orders.domain.catalogue import PricingError
from services.orders.domain.listing import InvalidPageTokenError
from services.orders.identity import CannotOrderError, NotSignedInError

KEY_REUSED = (
    "This Idempotency-Key was already used with a different request body; "
    "use a new key for a new order."
)
KEY_IN_PROGRESS = "A request with this Idempotency-Key is still being processed; retry shortly."
UNKNOWN_PAGE = "next_token is not one this API gave out; start again without it."

# An order of 50 lines is ~5 KB and 3 levels deep; anything far beyond is not an order.
BODY_LIMITS = BodyLimits(max_bytes=16 * 1024, max_depth=8)


def _message(status: int, message: str) -> Response[dict[str, Any]]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body={"statusCode": status, "message": message},
    )


def _unprocessable(detail: list[dict[str, Any]]) -> Response[dict[str, Any]]:
    return Response(
        status_code=422,
        content_type=content_types.APPLICATION_JSON,
        body={"statusCode": 422, "detail": detail},
    )


def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    # Powertools' own 422 shape, plus pydantic's message per field so people can fix their input
    # (the rejected values themselves are not echoed back).
    return _unprocessable(field_errors(error.errors()))


def unpriceable(error: PricingError) -> Response[dict[str, Any]]:
    # The same 422 shape, one entry per line at fault, pointing at its SKU.
    return _unprocessable(
        [
            {"loc": ["body", "items", p.index, "sku"], "type": p.kind, "msg": p.message}
            for p in error.problems
        ]
    )


def not_signed_in(_: NotSignedInError) -> Response[dict[str, str]]:
    # The very answer API Gateway's authorizer gives a token it refuses.
    return Response(
        status_code=401,
        content_type=content_types.APPLICATION_JSON,
        body={"message": "Unauthorized"},
        headers={
            "www-authenticate": 'Bearer error="invalid_token" '
            'error_description="an id token of a signed-in customer is required"'
        },
    )


def cannot_order(error: CannotOrderError) -> Response[dict[str, Any]]:
    return _message(403, str(error))


def bad_page_token(_: InvalidPageTokenError) -> Response[dict[str, Any]]:
    return _message(400, UNKNOWN_PAGE)


def key_reused(_: IdempotencyValidationError) -> Response[dict[str, Any]]:
    return _message(409, KEY_REUSED)


def key_in_progress(_: IdempotencyAlreadyInProgressError) -> Response[dict[str, Any]]:
    return _message(409, KEY_IN_PROGRESS)


def register(app: APIGatewayHttpResolver) -> None:
    """Answers each of these errors, wherever a route raises it, with its response."""
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(NotSignedInError)(not_signed_in)
    app.exception_handler(CannotOrderError)(cannot_order)
    app.exception_handler(InvalidPageTokenError)(bad_page_token)
    app.exception_handler(PricingError)(unpriceable)
    app.exception_handler(IdempotencyValidationError)(key_reused)
    app.exception_handler(IdempotencyAlreadyInProgressError)(key_in_progress)


def refused(message: str) -> dict[str, Any]:
    """A 400 for a body refused before the resolver reads it."""
    return {
        "statusCode": 400,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": json.dumps({"statusCode": 400, "message": message}),
        "isBase64Encoded": False,
    }
