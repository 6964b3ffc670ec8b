"""The orders wiring: what each function may touch, and what the status queue receives."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.common.wiring import (
    RETRY_UNTIL_EXPIRED,
    Access,
    HttpApiTrigger,
    JwtAuthorizer,
    ScheduleTrigger,
    SqsTrigger,
    StreamTrigger,
)
from services.orders.domain.cancelling import CANCELLATION_ANSWERS
from services.orders.domain.progress import WORKFLOW_EVENTS
from services.orders.wiring import WIRING


def test_the_status_queue_receives_exactly_what_the_status_function_handles() -> None:
    subscription = next(s for s in WIRING.subscriptions if s.name == "workflow-progress")
    trigger = WIRING.function("status").trigger
    assert isinstance(trigger, SqsTrigger)

    assert trigger.queue == subscription.queue
    assert subscription.pattern["source"] == ["shop.workflow"]
    assert set(subscription.pattern["detail-type"]) == {e.detail_type for e in WORKFLOW_EVENTS}
    assert {e.source for e in WORKFLOW_EVENTS} == {"shop.workflow"}


def test_the_answers_queue_receives_exactly_what_the_cancellations_function_handles() -> None:
    subscription = next(s for s in WIRING.subscriptions if s.name == "cancellation-answers")
    function = WIRING.function("cancellations")

    assert function.trigger == SqsTrigger(queue=subscription.queue)
    assert subscription.pattern["source"] == ["shop.approvals"]
    assert set(subscription.pattern["detail-type"]) == {e.detail_type for e in CANCELLATION_ANSWERS}
    assert {e.source for e in CANCELLATION_ANSWERS} == {"shop.approvals"}
    assert function.permissions.tables == {"orders": Access.WRITE}
    assert function.permissions.put_events is False


def test_the_api_serves_its_routes_to_signed_in_customers_only_and_cannot_publish() -> None:
    api = WIRING.function("api")

    assert isinstance(api.trigger, HttpApiTrigger)
    assert {(r.method, r.path) for r in api.trigger.routes} == {
        ("POST", "/orders"),
        ("GET", "/orders"),
        ("GET", "/orders/{order_id}"),
        ("GET", "/orders/{order_id}/timeline"),
        ("POST", "/orders/{order_id}/cancel"),
    }
    authorizer = api.trigger.authorizer
    assert authorizer is not None
    pool = WIRING.user_pool(authorizer.user_pool)
    assert pool.client(authorizer.client).auth_flows
    assert "name" in pool.required_attributes  # every order needs the customer's name
    assert api.permissions.put_events is False
    assert api.permissions.tables == {
        "orders": Access.READ_WRITE,
        "idempotency": Access.READ_WRITE,
        "catalogue": Access.READ,  # prices are read, never written, by the public API
        "timeline": Access.READ,
    }


def test_a_customers_orders_are_indexed_by_customer_newest_first() -> None:
    (index,) = WIRING.table("orders").indexes

    assert (index.partition_key, index.sort_key) == ("customer_id", "placed_at")


def test_an_authorizer_must_name_a_declared_pool_and_client() -> None:
    api = WIRING.function("api")
    assert isinstance(api.trigger, HttpApiTrigger)
    wrong = replace(api, trigger=replace(api.trigger, authorizer=JwtAuthorizer("customers", "x")))

    with pytest.raises(ValueError, match="unknown user pool or client"):
        replace(WIRING, functions=(wrong,))


def test_only_the_outbox_and_its_sweeper_publish_and_the_outbox_touches_no_table() -> None:
    outbox = WIRING.function("outbox")

    assert isinstance(outbox.trigger, StreamTrigger)
    assert outbox.trigger.table == "orders"
    assert WIRING.table("orders").stream
    assert outbox.permissions.put_events is True
    assert outbox.permissions.tables == {}
    assert [f.name for f in WIRING.functions if f.permissions.put_events] == ["outbox", "sweeper"]


def test_the_outbox_sees_inserts_only_and_retries_until_the_record_expires() -> None:
    trigger = WIRING.function("outbox").trigger

    assert isinstance(trigger, StreamTrigger)
    assert trigger.event_names == ("INSERT",)
    assert trigger.max_retry_attempts == RETRY_UNTIL_EXPIRED


def test_the_sweeper_runs_on_a_schedule_and_only_reads_orders() -> None:
    sweeper = WIRING.function("sweeper")

    assert isinstance(sweeper.trigger, ScheduleTrigger)
    assert sweeper.trigger.every_seconds >= 60  # AWS schedules run at most once a minute
    assert sweeper.permissions.tables == {"orders": Access.READ}


def test_the_status_function_only_writes_orders() -> None:
    status = WIRING.function("status")

    assert status.permissions.tables == {"orders": Access.WRITE}
    assert not status.permissions.put_events


def test_idempotency_table_uses_powertools_defaults() -> None:
    table = WIRING.table("idempotency")

    assert (table.partition_key, table.ttl_attribute) == ("id", "expiration")
    assert table.env_var == "ORDERS_IDEMPOTENCY_TABLE_NAME"
    assert WIRING.table("orders").env_var == "ORDERS_TABLE_NAME"
