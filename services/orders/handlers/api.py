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
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from services.common.observability import count, service_tracer
from services.common.request_limits import body_problem
from services.orders import bootstrap, ordering
from services.orders.domain.listing import DEFAULT_PAGE_SIZE
from services.orders.domain.placing import get_order
from services.orders.http import errors, responses, timeline
from services.orders.http.errors import BODY_LIMITS
from services.orders.http.params import IdempotencyKey, PageSize, PageToken
from services.orders.identity import Caller, caller
from services.orders.models import (
    CancellationView,
    ErrorMessage,
    Order,
    OrderList,
    OrderView,
    PlaceOrderRequest,
)

logger = Logger(service="orders")
tracer = service_tracer("orders")
metrics = Metrics(service="orders")
app = APIGatewayHttpResolver(enable_validation=True)
errors.register(app)
dependencies = functools.cache(bootstrap.api)
timeline_reader = functools.cache(bootstrap.timeline_reader)
app.include_router(timeline.router(timeline_reader))


def _caller() -> Caller:
    """The customer calling, from the claims API Gateway's authorizer checked."""
    return caller(app.current_event.request_context.authorizer.jwt_claim)


def _placed(order: Order) -> None:
    logger.info("order placed", extra={"order_id": order.order_id})
    count(metrics, "OrderPlaced")


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
    security=responses.CUSTOMER_ONLY,
    responses={
        201: responses.PLACED,
        400: responses.TOO_LARGE,
        401: responses.UNAUTHORIZED,
        403: responses.CANNOT_ORDER,
        409: responses.KEY_CONFLICT,
        422: responses.INVALID,
    },
)
def post_order(
    request: PlaceOrderRequest, idempotency_key: IdempotencyKey = None
) -> Response[OrderView]:
    placed = ordering.place(request, _caller(), idempotency_key, dependencies(), _placed)
    headers = {"Location": f"/orders/{placed.view.order_id}"}
    if placed.replayed:
        headers[responses.REPLAYED_HEADER] = "true"
        logger.info("order replayed", extra={"order_id": placed.view.order_id})
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=placed.view,
        headers=headers,
    )


@app.get(
    "/orders",
    summary="List my orders",
    description="The signed-in customer's orders, newest first, a page at a time. An order "
    "placed a moment ago may take a second to appear here (reading it by id is immediate).",
    tags=["orders"],
    security=responses.CUSTOMER_ONLY,
    responses={
        200: responses.json_response("A page of the customer's orders.", OrderList),
        400: responses.json_response("The next_token was not one this API gave out.", ErrorMessage),
        401: responses.UNAUTHORIZED,
        422: responses.INVALID,
    },
)
def list_orders_route(
    limit: PageSize = DEFAULT_PAGE_SIZE, next_token: PageToken = None
) -> OrderList:
    return ordering.page_of_orders(_caller(), limit, next_token, dependencies())


@app.get(
    "/orders/<order_id>",
    summary="Read one of my orders",
    description="Its status: placed, awaiting_approval, shipped, feedback_requested. "
    "A cancelled order is deleted: 404. Another customer's order is a 404 too.",
    tags=["orders"],
    security=responses.CUSTOMER_ONLY,
    responses={
        200: responses.json_response("The order.", OrderView),
        401: responses.UNAUTHORIZED,
        404: responses.json_response("No such order of yours, or it was cancelled.", ErrorMessage),
        # Powertools documents a 422 for every validated route; ours is accurate
        422: responses.INVALID,
    },
)
def get_order_route(order_id: str) -> OrderView:
    view = get_order(order_id, customer_id=_caller().customer_id, store=dependencies().store)
    if view is None:
        raise NotFoundError("order not found")
    return view


CANCEL_STATUS = {"cancelled": 200, "pending": 202, "refused": 409}


@app.post(
    "/orders/<order_id>/cancel",
    summary="Cancel one of my orders",
    description=(
        "Cancels the order if the owner has not decided yet, and answers with the outcome: "
        "200 `cancelled` (the workflow cancels the order and the customer gets the "
        "cancellation email), 409 `refused` when the owner already approved or rejected it "
        "or the approval window closed (the message says which and when), 202 `pending` "
        "only when the answer did not come within a few seconds: call again to read it. "
        "Calling again never cancels twice. Another customer's order is a 404."
    ),
    tags=["orders"],
    security=responses.CUSTOMER_ONLY,
    responses={
        200: responses.CANCELLED,
        202: responses.CANCEL_PENDING,
        401: responses.UNAUTHORIZED,
        404: responses.json_response("No such order of yours.", ErrorMessage),
        409: responses.CANCEL_REFUSED,
        422: responses.INVALID,
    },
)
def cancel_order_route(order_id: str) -> Response[CancellationView]:
    answer = ordering.cancel(order_id, _caller(), dependencies())
    if answer is None:
        raise NotFoundError("order not found")
    logger.info("cancellation", extra={"order_id": order_id, "outcome": answer.outcome})
    count(metrics, f"Cancellation{answer.outcome.capitalize()}")
    return Response(
        status_code=CANCEL_STATUS[answer.outcome],
        content_type=content_types.APPLICATION_JSON,
        body=answer,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if problem := body_problem(event, BODY_LIMITS):
        # Before the resolver parses anything: its JSON parser recurses on nesting.
        return errors.refused(problem)
    dependencies().place_once.config.register_lambda_context(context)
    return app.resolve(event, context)
