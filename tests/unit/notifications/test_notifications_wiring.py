"""The declarations the CDK app and the local stack build the service from."""

from __future__ import annotations

from services.common.wiring import Access, SqsTrigger
from services.notifications.domain.notify import KIND_BY_EVENT
from services.notifications.settings import NotificationsSettings
from services.notifications.wiring import WIRING


def test_the_queue_receives_exactly_the_events_that_send_emails() -> None:
    subscribed = {
        (source, detail_type)
        for sub in WIRING.subscriptions
        if sub.queue == "customer-events"
        for source in sub.pattern["source"]
        for detail_type in sub.pattern["detail-type"]
    }

    assert subscribed == {(e.source, e.detail_type) for e in KIND_BY_EVENT}


def test_the_email_function_may_use_its_ledger_and_send_email_only() -> None:
    function = WIRING.function("email")

    assert function.trigger == SqsTrigger(queue="customer-events")
    assert function.permissions.tables == {"sent-emails": Access.READ_WRITE}
    assert function.permissions.send_email
    assert not function.permissions.put_events
    assert function.permissions.send_to_queues == ()
    # A message must not become visible again while its invocation may still be running.
    assert function.timeout_seconds < WIRING.queue("customer-events").visibility_timeout_seconds


def test_every_declared_variable_is_a_setting_of_the_function() -> None:
    declared = {WIRING.table("sent-emails").env_var} | {
        s.env_var for s in WIRING.settings if s.env_var
    }
    fields = {name.upper() for name in NotificationsSettings.model_fields} - {"EVENT_BUS_NAME"}

    assert declared == fields
    ledger = WIRING.table("sent-emails")
    assert (ledger.partition_key, ledger.sort_key) == ("order_id", "kind")
