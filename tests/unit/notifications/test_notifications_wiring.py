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


def test_the_email_function_may_use_its_ledger_read_opt_outs_send_email_and_announce_only() -> None:
    function = WIRING.function("email")

    assert function.trigger == SqsTrigger(queue="customer-events")
    assert function.permissions.tables == {
        "sent-emails": Access.READ_WRITE,
        "opt-outs": Access.READ,
    }
    assert function.permissions.send_email
    assert function.permissions.put_events  # EmailOutcomeRecorded (source shop.notifications)
    assert function.permissions.send_to_queues == ()
    # A message must not become visible again while its invocation may still be running.
    assert function.timeout_seconds < WIRING.queue("customer-events").visibility_timeout_seconds


def test_every_declared_variable_is_a_setting_of_the_function() -> None:
    declared = (
        {t.env_var for t in WIRING.tables}
        | {s.env_var for s in WIRING.settings if s.env_var}
        | {s.env_var for s in WIRING.secrets}
        | {c.env_var for c in WIRING.email_configuration_sets}
        | {WIRING.function("unsubscribe").trigger.env_var}  # type: ignore[union-attr]
    )
    fields = {name.upper() for name in NotificationsSettings.model_fields} - {"EVENT_BUS_NAME"}

    assert declared == fields
    ledger = WIRING.table("sent-emails")
    assert (ledger.partition_key, ledger.sort_key) == ("order_id", "kind")


def test_a_stale_claim_is_taken_over_while_its_message_still_comes_back() -> None:
    # The message of a timed-out send returns every visibility timeout until its last
    # receive: the claim must go stale before that, or the email is never sent.
    queue = WIRING.queue("customer-events")
    stale = next(s for s in WIRING.settings if s.name == "stale_claim_seconds")
    window = queue.visibility_timeout_seconds * (queue.max_receive_count - 1)

    assert stale.default is not None
    assert int(stale.default) < window


def test_ses_events_come_from_the_default_bus_into_their_own_queue() -> None:
    [sub] = [s for s in WIRING.subscriptions if s.on_default_bus]
    [configuration_set] = WIRING.email_configuration_sets

    assert sub.pattern["source"] == ["aws.ses"]
    assert sub.queue == "delivery-events"
    assert WIRING.function("delivery-events").trigger == SqsTrigger(queue="delivery-events")
    assert set(configuration_set.event_types) >= {"SEND", "DELIVERY", "BOUNCE", "COMPLAINT"}
