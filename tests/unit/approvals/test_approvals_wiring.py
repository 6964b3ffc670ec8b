"""The declarations the CDK app and the local stack build the approvals service from."""

from __future__ import annotations

from events.models import ApprovalRequested, OrderCancellationRequested, OrderCancelled
from services.approvals.settings import DecisionSettings, ReminderSettings, RequestSettings
from services.approvals.wiring import WIRING
from services.common.wiring import Access, FunctionUrlTrigger, Permissions, SqsTrigger


def test_the_queue_receives_exactly_the_events_the_request_function_handles() -> None:
    workflow, customers = WIRING.subscriptions

    assert {workflow.queue, customers.queue} == {"requests"}
    assert workflow.pattern == {
        "source": [ApprovalRequested.source],
        "detail-type": [ApprovalRequested.detail_type, OrderCancelled.detail_type],
    }
    assert OrderCancelled.source == ApprovalRequested.source
    assert customers.pattern == {
        "source": [OrderCancellationRequested.source],
        "detail-type": [OrderCancellationRequested.detail_type],
    }


def test_the_public_decision_function_can_only_use_its_table_read_the_key_and_put_events() -> None:
    function = WIRING.function("decision")

    assert isinstance(function.trigger, FunctionUrlTrigger)
    assert function.permissions == Permissions(
        tables={"approvals": Access.READ_WRITE},
        read_secrets=("signing-key",),
        put_events=True,
        delete_schedules=("reminders",),
    )


def test_the_request_function_notifies_the_owner_sets_timers_and_answers_cancellations() -> None:
    function = WIRING.function("request")

    assert function.trigger == SqsTrigger(queue="requests")
    assert function.permissions == Permissions(
        tables={"approvals": Access.READ_WRITE},
        publish_to_topics=("owner-notifications",),
        read_secrets=("signing-key",),
        put_events=True,
        create_schedules=("reminders",),
    )
    # A message must not become visible again while its invocation may still be running.
    assert function.timeout_seconds < WIRING.queue("requests").visibility_timeout_seconds


def test_every_declared_variable_is_a_setting_and_every_setting_is_declared() -> None:
    decision_url = WIRING.function("decision").trigger
    assert isinstance(decision_url, FunctionUrlTrigger)
    declared = (
        {t.env_var for t in WIRING.tables}
        | {t.env_var for t in WIRING.topics}
        | {s.env_var for s in WIRING.secrets}
        | {s.env_var for s in WIRING.settings if s.env_var}
        | {decision_url.env_var}
        | {
            name
            for g in WIRING.schedule_groups
            for name in (g.group_env_var, g.target_env_var, g.role_env_var, g.dlq_env_var)
        }
    )
    reminder_fields = {name.upper() for name in ReminderSettings.model_fields} - {"EVENT_BUS_NAME"}
    request_fields = {name.upper() for name in RequestSettings.model_fields} - {"EVENT_BUS_NAME"}
    decision_fields = {name.upper() for name in DecisionSettings.model_fields} - {"EVENT_BUS_NAME"}

    assert declared == reminder_fields
    assert decision_fields <= request_fields <= reminder_fields
    assert all(name and name.startswith("APPROVALS_") for name in declared)


def test_the_reminder_function_is_fed_by_the_timers_alone_and_publishes_what_it_sent() -> None:
    function = WIRING.function("reminder")
    [group] = WIRING.schedule_groups

    assert function.trigger == SqsTrigger(queue="reminders")
    assert group.target_queue == "reminders"
    assert all(s.queue != "reminders" for s in WIRING.subscriptions)
    assert function.permissions == Permissions(
        tables={"approvals": Access.READ_WRITE},
        publish_to_topics=("owner-notifications", "backup-approver-notifications"),
        read_secrets=("signing-key",),
        put_events=True,
    )
