"""The OrderPlaced built for a stored order: the same event however often it is built."""

from __future__ import annotations

from events.models import OrderPlaced
from services.orders.domain.outbox import order_placed_event, publish_order_placed
from tests.support.fakes import RecordingPublisher
from tests.support.orders import PLACED_AT
from tests.unit.orders.samples import EVENT_ID, ORDER_ID, order


def test_the_event_carries_the_stored_id_and_the_whole_order() -> None:
    event = order_placed_event(order())

    assert isinstance(event, OrderPlaced)
    assert event.metadata.event_id == EVENT_ID
    assert event.metadata.correlation_id == ORDER_ID
    assert event.metadata.occurred_at == PLACED_AT
    assert event.data.placed_at == PLACED_AT
    assert event.data.total == "21.00"
    assert [item.sku for item in event.data.items] == ["TEA-01", "MUG-7"]


def test_building_it_twice_gives_the_same_event() -> None:
    assert order_placed_event(order()).detail_json() == order_placed_event(order()).detail_json()


def test_publishing_sends_exactly_that_event() -> None:
    publisher = RecordingPublisher()

    published = publish_order_placed(order(), publisher=publisher)

    assert publisher.published == [published]
    assert published == order_placed_event(order())
