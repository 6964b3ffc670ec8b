"""What ``shop dlq list`` may show about a dead letter: its detail-type and order id, never
a customer's address or a task token, whatever the body holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from local.dlq import UNREADABLE, label, summarize


def bus_event(detail_type: str, data: object, correlation_id: object = "ord_1") -> str:
    return json.dumps(
        {
            "version": "0",
            "id": "e-1",
            "detail-type": detail_type,
            "source": "shop.orders",
            "time": "2026-01-01T00:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": {
                "metadata": {"event_version": 1, "correlation_id": correlation_id},
                "data": data,
            },
        }
    )


def test_an_event_shows_its_detail_type_and_order_id_only() -> None:
    body = bus_event(
        "OrderPlaced",
        {"order_id": "ord_3f2a", "customer": {"name": "Ada", "email": "ada@example.com"}},
    )

    summary = summarize(body, datetime(2026, 1, 1, 12, 0, 5, tzinfo=UTC))

    assert (summary.detail_type, summary.order_id) == ("OrderPlaced", "ord_3f2a")
    assert "ada" not in summary.line()
    assert "12:00:05" in summary.line()


def test_the_correlation_id_stands_in_for_a_missing_order_id() -> None:
    assert summarize(bus_event("FeedbackDue", {}, "ord_9")).order_id == "ord_9"


@pytest.mark.parametrize(
    "order_id", ["ada@example.com", "x" * 200, "ord 1; rm -rf", 42, None, {"nested": 1}]
)
def test_an_order_id_that_is_not_id_shaped_is_never_echoed(order_id: object) -> None:
    summary = summarize(bus_event("OrderPlaced", {"order_id": order_id}, correlation_id=None))

    assert summary.order_id == UNREADABLE


def test_a_detail_type_that_is_not_a_name_is_never_echoed() -> None:
    assert summarize(bus_event("<script>", {"order_id": "ord_1"})).detail_type == UNREADABLE


def test_a_token_request_shows_the_order_but_never_the_token() -> None:
    body = json.dumps(
        {"order_id": "ord_7", "task_token": "AAAA-secret-token", "order": {"customer": {}}}
    )

    summary = summarize(body)

    assert (summary.detail_type, summary.order_id) == ("(token request)", "ord_7")
    assert "secret" not in summary.line()


@pytest.mark.parametrize(
    ("body", "shown"),
    [("not json at all", "(not JSON)"), ("[1, 2]", "(not an object)"), ("{}", "(unknown shape)")],
)
def test_other_bodies_are_named_by_their_shape(body: str, shown: str) -> None:
    summary = summarize(body)

    assert (summary.detail_type, summary.order_id) == (shown, UNREADABLE)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("shop-local-notifications-customer-events-dlq", "notifications/customer-events"),
        ("shop-local-workflow-order-placed-dlq", "workflow/order-placed"),
        ("bench-ab12cd-orders-status-events-dlq", "orders/status-events"),
    ],
)
def test_queues_are_labelled_service_slash_queue(name: str, expected: str) -> None:
    prefix = name.split("-", 2)[0] + "-" + name.split("-", 2)[1]
    assert label(name, prefix) == expected
