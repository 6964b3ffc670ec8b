"""The orders HTTP API (API Gateway HTTP API, payload 2.0): place an order, read it back.

``POST /orders`` honours an ``Idempotency-Key`` header (Powertools idempotency, records kept 24
hours): a retry with the same key and the same body gets the first response again, the same
201 with the same order and Location, marked ``Idempotent-Replayed: true``; a retry that
differs only in status code would make clients branch for nothing. The same key with another
body is a 409. Without the header every POST places a new order.

Bad input is a 422 in Powertools' validation shape, with pydantic's message for each field,
before anything is written; so is a line the catalogue cannot price, pointing at its SKU.

Every route sits behind API Gateway's JWT authorizer (the customers' user pool): the caller is
the customer named by the id token's claims (``services.orders.identity``). Orders are theirs:
another customer's order id reads as a missing one (404), and an Idempotency-Key is scoped to
the customer who sent it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Annotated, Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, SecurityScheme
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from events.models import Customer, utc_now
from services.common.errors import field_errors
from services.common.observability import count
from services.common.request_limits import BodyLimits, body_problem
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.adapters.dynamodb import DynamoOrdersStore
from services.orders.adapters.idempotency import IdempotentPlacement
from services.orders.domain.catalogue import PricingError
from services.orders.domain.listing import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_TOKEN_LENGTH,
    InvalidPageTokenError,
    Page,
    decode_token,
    list_orders,
)
from services.orders.domain.placing import get_order, place_order
from services.orders.domain.ports import Catalogue, OrdersStore
from services.orders.identity import Caller, CannotOrderError, NotSignedInError, caller
from services.orders.models import (
    ErrorMessage,
    OrderList,
    OrderView,
    PlaceOrderRequest,
    UnauthorizedMessage,
    ValidationErrorBody,
)
from services.orders.settings import OrdersSettings

REPLAYED_HEADER = "Idempotent-Replayed"
KEY_REUSED = (
    "This Idempotency-Key was already used with a different request body; "
    "use a new key for a new order."
)
KEY_IN_PROGRESS = "A request with this Idempotency-Key is still being processed; retry shortly."
UNKNOWN_PAGE = "next_token is not one this API gave out; start again without it."

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

# An order of 50 lines is ~5 KB and 3 levels deep; anything far beyond is not an order.
BODY_LIMITS = BodyLimits(max_bytes=16 * 1024, max_depth=8)

logger = Logger(service="orders")
tracer = Tracer(service="orders")
metrics = Metrics(service="orders")
app = APIGatewayHttpResolver(enable_validation=True)


@dataclass(frozen=True)
class Dependencies:
    store: OrdersStore
    catalogue: Catalogue
    place_once: IdempotentPlacement  # the placement behind the client's Idempotency-Key


@functools.cache
def dependencies() -> Dependencies:
    """Built once per execution environment, on first use (so importing stays cheap)."""
    settings = OrdersSettings.from_env()
    dynamodb = boto3.resource("dynamodb")
    store = DynamoOrdersStore(dynamodb.Table(settings.orders_table_name))
    catalogue = DynamoCatalogue(dynamodb, settings.orders_catalogue_table_name)
    place_once = IdempotentPlacement(table_name=settings.orders_idempotency_table_name)
    return Dependencies(store=store, catalogue=catalogue, place_once=place_once)


def _place(
    request: PlaceOrderRequest,
    caller: Caller,
    customer: Customer,
    store: OrdersStore,
    catalogue: Catalogue,
) -> dict[str, Any]:
    order = place_order(
        request,
        customer_id=caller.customer_id,
        customer=customer,
        store=store,
        catalogue=catalogue,
        clock=utc_now,
    )
    logger.info("order placed", extra={"order_id": order.order_id})
    count(metrics, "OrderPlaced")
    return {"order": order.view().model_dump(mode="json"), "replayed": False}


# --- routes ------------------------------------------------------------------------------


def _json(description: str, model: type[BaseModel]) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": model}}}


_INVALID = _json("Invalid input: one entry per field; nothing was written.", ValidationErrorBody)
_UNAUTHORIZED = _json(
    "No valid id token of a signed-in customer (missing, expired, or not for this API).",
    UnauthorizedMessage,
)


def _caller() -> Caller:
    """The customer calling, from the claims API Gateway's authorizer checked."""
    return caller(app.current_event.request_context.authorizer.jwt_claim)


@app.post(
    "/orders",
    status_code=201,
    summary="Place an order",
    description=(
        "Prices each SKU from the shop's catalogue and stores the order in status `placed`; "
        "its OrderPlaced event follows. Unknown or inactive SKUs, a basket in more than one "
        "currency and quantities over the limit are a 422 naming the SKU. Send an "
        "`Idempotency-Key` to retry safely: the same key and body return the first response "
        "again (201, same order, header `Idempotent-Replayed: true`) for 24 hours; the same "
        "key with another body is a 409. The customer (name, email) is the signed-in one; "
        "their email must be verified (403 otherwise)."
    ),
    tags=["orders"],
    security=CUSTOMER_ONLY,
    responses={
        201: {
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
        },
        400: _json(
            f"The body is larger than {BODY_LIMITS.max_bytes} bytes or nests deeper than "
            f"{BODY_LIMITS.max_depth} levels; it was not read.",
            ErrorMessage,
        ),
        401: _UNAUTHORIZED,
        403: _json(
            "The customer cannot order yet: their email is not verified, or their profile "
            "lacks a usable name or email. The message says which.",
            ErrorMessage,
        ),
        409: _json("The Idempotency-Key was used for another body.", ErrorMessage),
        422: _INVALID,
    },
)
def post_order(
    request: PlaceOrderRequest,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            description="A client-chosen key (a UUID, say) that makes retries safe.",
        ),
    ] = None,
) -> Response[OrderView]:
    who = _caller()
    customer = who.customer()
    deps = dependencies()

    def place(order: PlaceOrderRequest) -> dict[str, Any]:
        return _place(order, who, customer, deps.store, deps.catalogue)

    if idempotency_key is None:
        result = place(request)
    else:
        try:
            # One customer's key can never replay another customer's order.
            result = deps.place_once(request, f"{who.customer_id}/{idempotency_key}", place)
        except IdempotencyValidationError:
            raise ServiceError(409, KEY_REUSED) from None
        except IdempotencyAlreadyInProgressError:
            raise ServiceError(409, KEY_IN_PROGRESS) from None
    view = OrderView.model_validate(result["order"])
    headers = {"Location": f"/orders/{view.order_id}"}
    if result["replayed"]:
        headers[REPLAYED_HEADER] = "true"
        logger.info("order replayed", extra={"order_id": view.order_id})
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=view, headers=headers
    )


@app.get(
    "/orders",
    summary="List my orders",
    description="The signed-in customer's orders, newest first, a page at a time. An order "
    "placed a moment ago may take a second to appear here (reading it by id is immediate).",
    tags=["orders"],
    security=CUSTOMER_ONLY,
    responses={
        200: _json("A page of the customer's orders.", OrderList),
        400: _json("The next_token was not one this API gave out.", ErrorMessage),
        401: _UNAUTHORIZED,
        422: _INVALID,
    },
)
def list_orders_route(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="How many orders per page.")
    ] = DEFAULT_PAGE_SIZE,
    next_token: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_TOKEN_LENGTH,
            description="The previous page's next_token, to read the page after it.",
        ),
    ] = None,
) -> OrderList:
    who = _caller()
    after = None if next_token is None else decode_token(next_token)
    return list_orders(who.customer_id, Page(limit=limit, after=after), store=dependencies().store)


@app.get(
    "/orders/<order_id>",
    summary="Read one of my orders",
    description="Its status: placed, awaiting_approval, shipped, feedback_requested. "
    "A cancelled order is deleted: 404. Another customer's order is a 404 too.",
    tags=["orders"],
    security=CUSTOMER_ONLY,
    responses={
        200: _json("The order.", OrderView),
        401: _UNAUTHORIZED,
        404: _json("No such order of yours, or it was cancelled.", ErrorMessage),
        422: _INVALID,  # Powertools documents one for every validated route; ours is accurate
    },
)
def get_order_route(order_id: str) -> OrderView:
    who = _caller()
    view = get_order(order_id, customer_id=who.customer_id, store=dependencies().store)
    if view is None:
        raise NotFoundError("order not found")
    return view


def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    # Powertools' own 422 shape, plus pydantic's message per field so people can fix their input
    # (the rejected values themselves are not echoed back).
    return Response(
        status_code=422,
        content_type=content_types.APPLICATION_JSON,
        body={
            "statusCode": 422,
            "detail": field_errors(error.errors()),
        },
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


def unpriceable(error: PricingError) -> Response[dict[str, Any]]:
    # The same 422 shape, one entry per line at fault, pointing at its SKU.
    return Response(
        status_code=422,
        content_type=content_types.APPLICATION_JSON,
        body={
            "statusCode": 422,
            "detail": [
                {"loc": ["body", "items", p.index, "sku"], "type": p.kind, "msg": p.message}
                for p in error.problems
            ],
        },
    )


def cannot_order(error: CannotOrderError) -> Response[dict[str, Any]]:
    return Response(
        status_code=403,
        content_type=content_types.APPLICATION_JSON,
        body={"statusCode": 403, "message": str(error)},
    )


def bad_page_token(_: InvalidPageTokenError) -> Response[dict[str, Any]]:
    return Response(
        status_code=400,
        content_type=content_types.APPLICATION_JSON,
        body={"statusCode": 400, "message": UNKNOWN_PAGE},
    )


app.exception_handler(RequestValidationError)(invalid_request)
app.exception_handler(NotSignedInError)(not_signed_in)
app.exception_handler(CannotOrderError)(cannot_order)
app.exception_handler(InvalidPageTokenError)(bad_page_token)
app.exception_handler(PricingError)(unpriceable)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if problem := body_problem(event, BODY_LIMITS):
        # Before the resolver parses anything: its JSON parser recurses on nesting.
        return _refused(problem)
    dependencies().place_once.config.register_lambda_context(context)
    return app.resolve(event, context)


def _refused(message: str) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "headers": {"Content-Type": content_types.APPLICATION_JSON},
        "body": json.dumps({"statusCode": 400, "message": message}),
        "isBase64Encoded": False,
    }
