"""Observability on the bill, the Scheduler design, and the floor the emails alone cost."""

from __future__ import annotations

import pytest

from local.services import ALL_SERVICES
from tools.cost.asl_paths import OUTCOMES
from tools.cost.durations import Durations
from tools.cost.model import (
    GB,
    Estimate,
    Mix,
    estimate,
    floor_per_order,
    observability_share,
)
from tools.cost.observability import Observability, deployed_observability, sampled_share
from tools.cost.prices import load_prices
from tools.cost.usage import SCHEDULED_FUNCTION, Design

MIX = Mix.parse("8:1:1")
PRICES = load_prices()
SEEN = Observability(custom_metrics=10)


def run(design: Design = "ours", *, orders: int = 100_000, seen: Observability = SEEN) -> Estimate:
    return estimate(
        ALL_SERVICES,
        design,
        orders_per_month=orders,
        mix=MIX,
        prices=PRICES,
        durations=Durations(),
        architecture="x86_64",
        observability=seen,
    )


def test_infra_is_read_for_what_is_deployed() -> None:
    seen = deployed_observability()

    assert seen.lambda_tracing  # tracing=lambda_.Tracing.ACTIVE
    assert seen.state_machine_tracing
    assert seen.state_machine_log_level == "ALL"
    assert seen.custom_metrics > 10


def test_below_the_reservoir_every_request_is_traced_and_above_it_five_percent_more() -> None:
    assert sampled_share(0.5, SEEN) == 1.0
    assert sampled_share(21.0, SEEN) == pytest.approx((1 + 20 * 0.05) / 21)
    assert sampled_share(0.0, SEEN) == 0.0


def test_at_a_quiet_rate_each_invocation_and_execution_is_one_trace() -> None:
    ours = run()

    invocations = ours.line("Lambda requests").quantity
    assert ours.line("X-Ray traces").quantity == pytest.approx(invocations + 1)  # + execution
    assert ours.line("X-Ray traces").usd == pytest.approx((invocations + 1) * 5.00 / 1e6)


def test_logs_are_priced_per_gb_ingested_at_the_configured_levels() -> None:
    ours = run()
    quiet = run(seen=Observability(custom_metrics=10, state_machine_log_level="ERROR"))

    invocations = ours.line("Lambda requests").quantity
    assert ours.line("Logs: Lambda").quantity == pytest.approx(invocations * 2000 / GB)
    assert ours.line("Logs: Lambda").usd == pytest.approx(invocations * 2000 / GB * 0.50)
    # approve: 2 + 3 tasks x 5 + 1 wait x 2 = 19 events; reject and timeout: 2 + 2x5 + 2 = 14
    events = 0.8 * 19 + 0.2 * 14
    assert ours.line("Logs: Step Functions").quantity == pytest.approx(events * 400 / GB)
    assert quiet.line("Logs: Step Functions").usd == 0


def test_emf_metrics_are_a_fixed_monthly_line() -> None:
    [metrics] = [f for f in run().fixed if f.label == "EMF custom metrics"]

    assert metrics.usd == pytest.approx(10 * 0.30)


def test_the_scheduler_design_has_no_transitions_and_a_schedule_per_wait_or_timeout() -> None:
    ours, scheduler = run(), run("scheduler")

    assert scheduler.line("Step Functions transitions").usd == 0
    assert scheduler.line("Logs: Step Functions").usd == 0
    fired = [scheduler.usage[o].scheduler_invocations for o in OUTCOMES]
    assert fired == [1, 0, 1]  # the feedback delay; a window nobody answered
    assert [scheduler.usage[o].function(SCHEDULED_FUNCTION).invocations for o in OUTCOMES] == [
        1,
        0,
        1,
    ]
    # One write of the journey item per step of the walk.
    assert [scheduler.usage[o].state_writes for o in OUTCOMES] == [
        len(ours.usage[o].steps) for o in OUTCOMES
    ]
    assert scheduler.line("Scheduler invocations").usd == pytest.approx(0.9 * 1.00 / 1e6)


def test_the_floor_is_the_emails_and_the_owner_message_and_every_design_is_above_it() -> None:
    ours = run()

    floor = floor_per_order(ours)

    assert floor == pytest.approx(2.8 * 0.10 / 1000 + 2.00 / 100_000 + 0.50 / 1e6)
    for design in ("ours", "all-lambda", "scheduler"):
        assert run(design).per_order > floor


def test_the_observability_share_counts_traces_logs_and_metrics() -> None:
    ours = run()
    unobserved = run(
        seen=Observability(
            lambda_tracing=False,
            state_machine_tracing=False,
            state_machine_log_level="OFF",
            function_log_bytes_per_invocation=0,
            custom_metrics=0,
        )
    )

    share = observability_share(ours)

    assert share == pytest.approx(1 - unobserved.per_order / ours.per_order)
    assert observability_share(unobserved) == 0


def test_a_metric_only_faults_emit_is_billed_for_the_hours_it_is_sent() -> None:
    deployed = deployed_observability()
    every_hour = run(seen=Observability(custom_metrics=10))
    with_rare = run(seen=Observability(custom_metrics=10, rare_metrics=20))

    fixed = {f.label: f for f in with_rare.fixed}
    assert fixed["EMF custom metrics"].quantity == pytest.approx(10 + 20 * 0.1)
    assert with_rare.per_order - every_hour.per_order == pytest.approx(2 * 0.30 / 100_000)
    # An order's journey: placed, requested (approvals and workflow), started, relayed,
    # approve / reject, accepted, delivered, sent, and one per kind of email sent.
    assert deployed.custom_metrics == 14
    assert deployed.rare_metrics > 0
