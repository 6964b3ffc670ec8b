"""A customer's order list: newest first, in pages, with tokens that open nothing else."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from services.orders.domain.listing import (
    InvalidPageTokenError,
    Page,
    decode_token,
    encode_token,
    list_orders,
)
from services.orders.domain.ports import Position
from tests.support.orders import PLACED_AT
from tests.unit.orders.fake_store import InMemoryOrdersStore
from tests.unit.orders.samples import CUSTOMER_ID, order


def _store_with(count: int, customer_id: str = CUSTOMER_ID) -> InMemoryOrdersStore:
    store = InMemoryOrdersStore()
    for i in range(count):
        store.create(
            order(
                order_id=f"ord_{customer_id[:4]}{i:028d}",
                customer_id=customer_id,
                placed_at=PLACED_AT + timedelta(minutes=i),
            )
        )
    return store


def test_pages_run_newest_first_and_end_without_a_token() -> None:
    store = _store_with(5)
    other = _store_with(3, customer_id="someone-else")
    store.orders.update(other.orders)

    first = list_orders(CUSTOMER_ID, Page(limit=2), store=store)
    assert first.next_token is not None
    second = list_orders(CUSTOMER_ID, Page(2, decode_token(first.next_token)), store=store)
    assert second.next_token is not None
    third = list_orders(CUSTOMER_ID, Page(2, decode_token(second.next_token)), store=store)

    seen = [o.placed_at for page in (first, second, third) for o in page.orders]
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == 5
    assert third.next_token is None


def test_a_token_round_trips_and_is_opaque_text() -> None:
    position = Position(placed_at="2026-11-21T09:00:00.000000Z", order_id="ord_" + "a" * 32)

    token = encode_token(position)

    assert decode_token(token) == position
    assert "=" not in token
    assert "/" not in token


@pytest.mark.parametrize(
    "token",
    [
        "not base64 !",
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b'{"placed_at": "x", "order_id": "nope"}').decode(),
        base64.urlsafe_b64encode(
            b'{"placed_at": "x", "order_id": "ord_1", "customer_id": "victim"}'
        ).decode(),
        "A" * 600,
    ],
)
def test_a_token_this_api_did_not_issue_is_refused(token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        decode_token(token)
