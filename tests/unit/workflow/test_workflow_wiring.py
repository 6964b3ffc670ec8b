"""The workflow's declarations: what CDK and the local stack build for it."""

from __future__ import annotations

from services.common.wiring import SqsTrigger, event_pattern
from services.workflow.wiring import WIRING


def test_subscriptions_bring_order_placed_and_the_decisions_only() -> None:
    patterns = {s.queue: s.pattern for s in WIRING.subscriptions}

    assert patterns == {
        "order-placed": event_pattern("shop.orders", "OrderPlaced"),
        "decisions": event_pattern(
            "shop.approvals", "OrderApproved", "OrderRejected", "ApprovalWithdrawn"
        ),
    }


def test_the_token_queue_is_written_by_the_state_machine_alone() -> None:
    [machine] = WIRING.state_machines
    assert machine.sends_to_queues == ("tokens",)
    assert "tokens" not in {s.queue for s in WIRING.subscriptions}
    assert all("tokens" not in f.permissions.send_to_queues for f in WIRING.functions)


def test_only_the_decision_relay_may_resume_tasks() -> None:
    allowed = {f.name for f in WIRING.functions if f.permissions.send_task_results}

    assert allowed == {"relay-decision"}


def test_each_function_has_only_what_it_uses() -> None:
    starter, relay_token, relay_decision = (
        WIRING.function(n) for n in ("starter", "relay-token", "relay-decision")
    )
    assert starter.permissions.start_executions == ("order-journey",)
    assert not starter.permissions.tables
    assert not starter.permissions.put_events
    assert relay_token.permissions.put_events
    assert not relay_token.permissions.start_executions
    assert not relay_decision.permissions.put_events
    for fn, queue in (
        (starter, "order-placed"),
        (relay_token, "tokens"),
        (relay_decision, "decisions"),
    ):
        assert isinstance(fn.trigger, SqsTrigger)
        assert fn.trigger.queue == queue


def test_tokens_expire_by_ttl() -> None:
    table = WIRING.table("tokens")

    assert (table.partition_key, table.ttl_attribute) == ("order_id", "expires_at")


def test_durations_default_to_a_day_in_the_cloud_and_seconds_locally() -> None:
    settings = {s.name: s for s in WIRING.settings}

    for name in ("approval_window_seconds", "feedback_delay_seconds"):
        assert settings[name].default == "86400"
        assert int(settings[name].local_default or "0") <= 60
