"""An in-memory orders store with the DynamoDB store's rules (checked against it in
tests/integration/orders/test_orders_store.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from services.orders.domain.ports import (
    OrderAlreadyExistsError,
    Position,
    StatusChange,
    sortable_time,
)
from services.orders.models import Order, OrderStatus


@dataclass
class InMemoryOrdersStore:
    orders: dict[str, Order] = field(default_factory=dict)

    def create(self, order: Order) -> None:
        if order.order_id in self.orders:
            raise OrderAlreadyExistsError(order.order_id)
        self.orders[order.order_id] = order

    def get(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def list_for_customer(
        self, customer_id: str, *, limit: int, after: Position | None
    ) -> tuple[list[Order], Position | None]:
        def position(order: Order) -> Position:
            return Position(sortable_time(order.placed_at), order.order_id)

        def key(order: Order) -> tuple[str, str]:
            return (position(order).placed_at, order.order_id)

        mine = sorted(
            (o for o in self.orders.values() if o.customer_id == customer_id), key=key, reverse=True
        )
        if after is not None:
            mine = [o for o in mine if key(o) < (after.placed_at, after.order_id)]
        page = mine[:limit]
        more = len(mine) > limit
        return page, position(page[-1]) if more else None

    def advance_status(self, order_id: str, status: OrderStatus, at: datetime) -> StatusChange:
        current = self.orders.get(order_id)
        if current is None:
            return StatusChange.MISSING
        if current.status.rank >= status.rank:
            return StatusChange.NOT_FORWARD
        self.orders[order_id] = current.model_copy(update={"status": status, "updated_at": at})
        return StatusChange.ADVANCED

    def delete(self, order_id: str) -> bool:
        return self.orders.pop(order_id, None) is not None

    def placed_before(self, cutoff: datetime) -> Iterator[Order]:
        return iter(
            [
                o
                for o in self.orders.values()
                if o.status is OrderStatus.PLACED and o.placed_at < cutoff
            ]
        )
