"""The four services together on moto (in-process), driven as the local stack drives them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local.http_events import HttpResponse
from local.settings import LocalStackSettings
from local.stack import LocalStack
from tests.support.customers import signed_in
from tests.support.schemas import assert_matches_schema

StackFactory = Callable[..., LocalStack]


@pytest.fixture
def make_stack(aws: None) -> Iterator[StackFactory]:
    started: list[LocalStack] = []

    def make(**settings: Any) -> LocalStack:
        defaults: dict[str, Any] = {
            "approval_window_seconds": 60,
            "feedback_delay_seconds": 1,
            "visibility_timeout_seconds": 1,
        }
        stack = LocalStack(LocalStackSettings(**(defaults | settings)))
        stack.start()
        started.append(stack)
        return stack

    yield make
    for stack in started:
        # Everything the producers emitted in this test honours the published contract.
        for event in stack.tap.collect():
            assert_matches_schema(event.detail_type, event.detail)
        stack.stop()


ORDER = {
    # Priced from the local sample catalogue: Enamel mug 12.50, Assam tea 7.90 EUR.
    "items": [{"sku": "MUG-01", "quantity": 2}, {"sku": "TEA-42", "quantity": 1}],
}


def send(stack: LocalStack) -> Callable[[str, str, dict[str, str], bytes], HttpResponse]:
    def _send(method: str, url: str, headers: dict[str, str], body: bytes) -> HttpResponse:
        return stack.router.request(method, url, headers=headers, body=body)

    return _send


def place_order(stack: LocalStack, email: str = "ada@example.com") -> str:
    """``email``'s customer signs in and places the sample order."""
    response = stack.router.request(
        "POST",
        "/orders",
        headers={"content-type": "application/json", **signed_in(stack.customers(), email)},
        body=json.dumps(ORDER).encode(),
    )
    assert response.status == 201, response.text
    return str(json.loads(response.body)["order_id"])


def get_order(stack: LocalStack, order_id: str, email: str) -> HttpResponse:
    """The order as its customer (``email``) reads it."""
    return stack.router.request(
        "GET", f"/orders/{order_id}", headers=signed_in(stack.customers(), email)
    )
