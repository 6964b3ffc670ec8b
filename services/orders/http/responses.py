"""What the orders API's OpenAPI document says each route may answer, and how it is secured."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, SecurityScheme
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from services.orders.http.errors import BODY_LIMITS
from services.orders.models import (
    CancellationView,
    ErrorMessage,
    OrderView,
    UnauthorizedMessage,
    ValidationErrorBody,
)

REPLAYED_HEADER = "Idempotent-Replayed"

# The OpenAPI security scheme every route requires: the customer's Cognito id token.
SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    "customer": HTTPBearer(
        bearerFormat="JWT",
        description=(
            "The signed-in customer's Cognito **id token** (not the access token): "
            "`Authorization: Bearer <id token>`. API Gateway checks its issuer (the shop's "
            "customers user pool), audience (the storefront app client), expiry and signature."
        ),
    )
}
CUSTOMER_ONLY: list[dict[str, list[str]]] = [{"customer": []}]


def json_response(description: str, model: type[BaseModel]) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": model}}}


INVALID = json_response(
    "Invalid input: one entry per field; nothing was written.", ValidationErrorBody
)
UNAUTHORIZED = json_response(
    "No valid id token of a signed-in customer (missing, expired, or not for this API).",
    UnauthorizedMessage,
)
PLACED: OpenAPIResponse = {
    "description": "The order, as placed.",
    "headers": {
        "Location": {
            "description": "Where to read the order.",
            "schema": {"type": "string"},
        },
        REPLAYED_HEADER: {
            "description": "Present (true) when this is a replay of an earlier request.",
            "schema": {"type": "string"},
        },
    },
    "content": {"application/json": {"model": OrderView}},
}
TOO_LARGE = json_response(
    f"The body is larger than {BODY_LIMITS.max_bytes} bytes or nests deeper than "
    f"{BODY_LIMITS.max_depth} levels; it was not read.",
    ErrorMessage,
)
CANNOT_ORDER = json_response(
    "The customer cannot order yet: their email is not verified, or their profile "
    "lacks a usable name or email. The message says which.",
    ErrorMessage,
)
KEY_CONFLICT = json_response("The Idempotency-Key was used for another body.", ErrorMessage)
CANCELLED = json_response(
    "The order is cancelled; the cancellation email follows.", CancellationView
)
CANCEL_PENDING = json_response(
    "Asked, but the answer did not come within the wait; call again to read it.",
    CancellationView,
)
CANCEL_REFUSED = json_response(
    "Too late: the owner already decided, or the approval window closed. The message says "
    "which, and when.",
    CancellationView,
)
