"""What the orders API does for a signed-in customer: place an order (at most once per
Idempotency-Key, when one is sent), list their orders a page at a time, and cancel one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from events.models import utc_now
from services.orders.bootstrap import ApiDependencies
from services.orders.domain.cancelling import cancel_order, refusal_message
from services.orders.domain.listing import Page, decode_token, list_orders
from services.orders.domain.placing import place_order
from services.orders.domain.ports import CancellationOutcome
from services.orders.identity import Caller
from services.orders.models import (
    CancellationView,
    Order,
    OrderList,
    OrderView,
    PlaceOrderRequest,
)


@dataclass(frozen=True)
class Placed:
    view: OrderView
    replayed: bool  # the response of an earlier request with the same Idempotency-Key


def place(
    request: PlaceOrderRequest,
    who: Caller,
    idempotency_key: str | None,
    deps: ApiDependencies,
    on_placed: Callable[[Order], None],
) -> Placed:
    """Places the order; ``on_placed`` runs only for an order placed now, never a replay.

    Raises ``CannotOrderError`` for a customer who cannot order, ``PricingError`` for lines
    the catalogue cannot price, and Powertools' idempotency errors for a reused key.
    """
    customer = who.customer()

    def place_new(order_request: PlaceOrderRequest) -> dict[str, Any]:
        order = place_order(
            order_request,
            customer_id=who.customer_id,
            customer=customer,
            store=deps.store,
            catalogue=deps.catalogue,
            clock=utc_now,
        )
        on_placed(order)
        return {"order": order.view().model_dump(mode="json"), "replayed": False}

    if idempotency_key is None:
        result = place_new(request)
    else:
        # One customer's key can never replay another customer's order.
        result = deps.place_once(request, f"{who.customer_id}/{idempotency_key}", place_new)
    return Placed(OrderView.model_validate(result["order"]), bool(result["replayed"]))


def page_of_orders(
    who: Caller, limit: int, next_token: str | None, deps: ApiDependencies
) -> OrderList:
    """Raises ``InvalidPageTokenError`` for a ``next_token`` this API did not give out."""
    after = None if next_token is None else decode_token(next_token)
    return list_orders(who.customer_id, Page(limit=limit, after=after), store=deps.store)


_MESSAGES = {
    CancellationOutcome.CANCELLED: "The order is cancelled; a confirmation email is on its way.",
    CancellationOutcome.PENDING: (
        "The cancellation is asked for but not answered yet; call again to read its outcome."
    ),
}


def cancel(order_id: str, who: Caller, deps: ApiDependencies) -> CancellationView | None:
    """The outcome of the caller's cancellation of ``order_id``; None if it is not theirs."""
    request = cancel_order(order_id, who.customer_id, deps.cancelling)
    if request is None:
        return None
    refused = request.outcome is CancellationOutcome.REFUSED
    return CancellationView.model_validate(
        {
            "order_id": request.order_id,
            "outcome": request.outcome.value,
            "requested_at": request.requested_at,
            "answered_at": request.answered_at,
            "because": request.because,
            "decided_at": request.decided_at,
            "message": refusal_message(request) if refused else _MESSAGES[request.outcome],
        }
    )
