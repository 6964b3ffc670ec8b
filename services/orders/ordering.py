"""What the orders API does for a signed-in customer: place an order (at most once per
Idempotency-Key, when one is sent) and list their orders a page at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from events.models import utc_now
from services.orders.bootstrap import ApiDependencies
from services.orders.domain.listing import Page, decode_token, list_orders
from services.orders.domain.placing import place_order
from services.orders.identity import Caller
from services.orders.models import Order, OrderList, OrderView, PlaceOrderRequest


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
