"""The sweeper republishes the very OrderPlaced of orders stuck in 'placed', and nothing else."""

from __future__ import annotations

from datetime import timedelta

from services.orders.domain.sweeper import republish_stuck_orders
from services.orders.models import OrderStatus
from tests.support.fakes import RecordingPublisher
from tests.support.orders import PLACED_AT
from tests.unit.orders.fake_store import InMemoryOrdersStore
from tests.unit.orders.samples import EVENT_ID, order

STUCK_AFTER = timedelta(minutes=15)


def test_only_orders_still_placed_after_the_threshold_are_republished_with_their_event_id() -> None:
    store = InMemoryOrdersStore()
    for placed in (
        order(order_id="ord_stuck"),
        order(OrderStatus.AWAITING_APPROVAL, order_id="ord_moving"),
    ):
        store.create(placed)
    publisher = RecordingPublisher()

    republished = republish_stuck_orders(
        store,
        publisher,
        stuck_after=STUCK_AFTER,
        now=PLACED_AT + STUCK_AFTER + timedelta(seconds=1),
    )

    assert republished == ["ord_stuck"]
    [event] = publisher.of_type("OrderPlaced")
    assert event.metadata.event_id == EVENT_ID
    assert event.metadata.occurred_at == PLACED_AT


def test_a_young_order_is_left_to_the_outbox() -> None:
    store = InMemoryOrdersStore()
    store.create(order())
    publisher = RecordingPublisher()

    republished = republish_stuck_orders(
        store,
        publisher,
        stuck_after=STUCK_AFTER,
        now=PLACED_AT + STUCK_AFTER - timedelta(seconds=1),
    )

    assert republished == []
    assert publisher.published == []
