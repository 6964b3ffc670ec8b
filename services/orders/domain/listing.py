"""A customer's orders, newest first, a page at a time.

The page token is opaque to clients: the position of the last order shown (when it was placed
and its id), base64url-encoded JSON. It holds no customer id: the caller's own id always picks
the partition, so a token cannot open anyone else's orders.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from events.models import OrderId
from services.orders.domain.ports import SORTABLE_TIME_PATTERN, OrdersStore, Position
from services.orders.models import OrderList

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_TOKEN_LENGTH = 512


class InvalidPageTokenError(ValueError):
    """A ``next_token`` this API did not issue."""


class _Token(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    placed_at: str = Field(pattern=SORTABLE_TIME_PATTERN)
    order_id: OrderId


@dataclass(frozen=True)
class Page:
    limit: int = DEFAULT_PAGE_SIZE
    after: Position | None = None


def encode_token(position: Position) -> str:
    raw = json.dumps({"placed_at": position.placed_at, "order_id": position.order_id})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str) -> Position:
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidPageTokenError(token[:20])
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        parsed = _Token.model_validate_json(raw)
    except (binascii.Error, ValueError, ValidationError):
        raise InvalidPageTokenError(token[:20]) from None
    return Position(placed_at=parsed.placed_at, order_id=parsed.order_id)


def list_orders(customer_id: str, page: Page, *, store: OrdersStore) -> OrderList:
    orders, last = store.list_for_customer(customer_id, limit=page.limit, after=page.after)
    return OrderList(
        orders=[order.view() for order in orders],
        next_token=None if last is None else encode_token(last),
    )
