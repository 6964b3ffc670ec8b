"""``GET /orders/{order_id}/timeline``: the order's journey, step by step, for its customer.

A router the orders API includes (``handlers/api.py``), so the route lives apart from the
others; it reads the timeline table only (the order itself may be gone: cancelled). The
handler owns the cached adapters (``reader``), as for its other routes: reloading the handler
for a new stack rebuilds them.
"""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from services.orders import bootstrap
from services.orders.domain import timeline
from services.orders.domain.timeline import DEFAULT_RETENTION_DAYS, Timeline, retention_text
from services.orders.http import responses
from services.orders.identity import caller
from services.orders.models import ErrorMessage


def router(reader: Callable[[], bootstrap.TimelineReader]) -> APIGatewayHttpRouter:
    """The timeline route, reading through ``reader``'s adapters."""
    routes = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]  # Powertools leaves it untyped

    @routes.get(
        "/orders/<order_id>/timeline",
        summary="Read the timeline of one of my orders",
        description=(
            "Each step of the order's journey with its time, oldest first: placed, approval "
            "requested, reminders, escalation, the owner's decision and comment, cancellation "
            "(reason and by whom), shipment, feedback request, and what became of each email "
            "(sent, delivered, failed, complained). "
            + retention_text(DEFAULT_RETENTION_DAYS)
            + " (90 is the default; the answer says the deployment's figure.) Another customer's "
            "order, an unknown one and an expired timeline are a 404."
        ),
        tags=["orders"],
        security=responses.CUSTOMER_ONLY,
        responses={
            200: responses.json_response("The order's timeline.", Timeline),
            401: responses.UNAUTHORIZED,
            404: responses.json_response(
                "No timeline of an order of yours (never placed, someone else's, or expired).",
                ErrorMessage,
            ),
            422: responses.INVALID,
        },
    )
    def get_timeline_route(order_id: str) -> Timeline:
        customer = caller(routes.current_event.request_context.authorizer.jwt_claim)
        deps = reader()
        found = timeline.read(
            order_id,
            customer_id=customer.customer_id,
            timeline=deps.timeline,
            retention_days=deps.retention_days,
        )
        if found is None:
            raise NotFoundError("timeline not found")
        return found

    return routes
