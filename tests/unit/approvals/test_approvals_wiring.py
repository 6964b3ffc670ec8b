"""The declarations the CDK app and the local stack build the approvals service from."""

from __future__ import annotations

from events.models import ApprovalRequested, OrderCancellationRequested, OrderCancelled
from services.approvals.settings import DecisionSettings, RequestSettings
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
        tables={"approvals": Access.READ_WRITE}, read_secrets=("signing-key",), put_events=True
    )


def test_the_request_function_notifies_the_owner_and_answers_cancellations() -> None:
    function = WIRING.function("request")

    assert function.trigger == SqsTrigger(queue="requests")
    assert function.permissions == Permissions(
        tables={"approvals": Access.READ_WRITE},
        publish_to_topics=("owner-notifications",),
        read_secrets=("signing-key",),
        put_events=True,
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
    )
    request_fields = {name.upper() for name in RequestSettings.model_fields} - {"EVENT_BUS_NAME"}
    decision_fields = {name.upper() for name in DecisionSettings.model_fields} - {"EVENT_BUS_NAME"}

    assert declared == request_fields
    assert decision_fields <= request_fields
    assert all(name and name.startswith("APPROVALS_") for name in declared)
