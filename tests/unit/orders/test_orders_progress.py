"""The workflow's events: status only moves forward; cancellation deletes; nothing revives."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.orders.domain.ports import StatusChange
from services.orders.domain.progress import Deletion, WorkflowEvent, apply_workflow_event
from services.orders.models import Order, OrderStatus
from tests.support.orders import approval_requested, feedback_due, order_cancelled, order_shipped
from tests.unit.orders.fake_store import InMemoryOrdersStore
from tests.unit.orders.samples import ORDER_ID, order


def stored(placed: Order) -> InMemoryOrdersStore:
    store = InMemoryOrdersStore()
    store.create(placed)
    return store


def status_of(store: InMemoryOrdersStore) -> OrderStatus | None:
    found = store.get(ORDER_ID)
    return None if found is None else found.status


def test_statuses_follow_the_journey() -> None:
    placed = order()
    store = stored(placed)

    outcomes = [
        (apply_workflow_event(event, store=store), status_of(store))
        for event in (approval_requested(placed), order_shipped(placed), feedback_due(placed))
    ]

    assert outcomes == [
        (StatusChange.ADVANCED, OrderStatus.AWAITING_APPROVAL),
        (StatusChange.ADVANCED, OrderStatus.SHIPPED),
        (StatusChange.ADVANCED, OrderStatus.FEEDBACK_REQUESTED),
    ]


def test_updated_at_is_when_the_event_happened() -> None:
    placed = order()
    store = stored(placed)
    event = order_shipped(placed)

    apply_workflow_event(event, store=store)

    current = store.get(ORDER_ID)
    assert current is not None
    assert current.updated_at == event.metadata.occurred_at
    assert current.placed_at == placed.placed_at


@pytest.mark.parametrize(
    ("current", "make"),
    [
        (OrderStatus.SHIPPED, approval_requested),
        (OrderStatus.FEEDBACK_REQUESTED, order_shipped),
        (OrderStatus.FEEDBACK_REQUESTED, approval_requested),
        (OrderStatus.AWAITING_APPROVAL, approval_requested),
    ],
)
def test_a_late_or_repeated_event_never_moves_an_order_back(
    current: OrderStatus, make: Callable[[Order], WorkflowEvent]
) -> None:
    placed = order(status=current)
    store = stored(placed)

    outcome = apply_workflow_event(make(placed), store=store)

    assert outcome is StatusChange.NOT_FORWARD
    assert store.get(ORDER_ID) == placed


def test_a_skipped_status_is_fine() -> None:
    # ApprovalRequested may be lost in a DLQ; a later OrderShipped still moves the order on.
    placed = order()
    store = stored(placed)

    assert apply_workflow_event(order_shipped(placed), store=store) is StatusChange.ADVANCED
    assert status_of(store) is OrderStatus.SHIPPED


def test_cancellation_deletes_the_order_once() -> None:
    placed = order(status=OrderStatus.AWAITING_APPROVAL)
    store = stored(placed)
    event = order_cancelled(placed)

    assert apply_workflow_event(event, store=store) is Deletion.DELETED
    assert apply_workflow_event(event, store=store) is Deletion.ALREADY_GONE
    assert store.get(ORDER_ID) is None


@pytest.mark.parametrize("make", [approval_requested, order_shipped, feedback_due])
def test_an_event_for_a_missing_order_creates_nothing(
    make: Callable[[Order], WorkflowEvent],
) -> None:
    store = InMemoryOrdersStore()

    outcome = apply_workflow_event(make(order()), store=store)

    assert outcome is StatusChange.MISSING
    assert store.orders == {}


def test_status_ranks_follow_the_journey() -> None:
    assert [s.rank for s in OrderStatus] == [0, 1, 2, 3]
    assert list(OrderStatus) == [
        OrderStatus.PLACED,
        OrderStatus.AWAITING_APPROVAL,
        OrderStatus.SHIPPED,
        OrderStatus.FEEDBACK_REQUESTED,
    ]
