"""The cost model: data-driven by the price file, the wirings and the ASL file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local.services import ALL_SERVICES
from services.approvals.adapters.signing_key import KEY_CACHE_SECONDS
from tools.cost.asl_paths import OUTCOMES
from tools.cost.durations import ASSUMED_MS, Durations, load_durations, parse_bench
from tools.cost.model import (
    SECONDS_PER_MONTH,
    Estimate,
    Mix,
    deployed_architecture,
    estimate,
)
from tools.cost.observability import Observability
from tools.cost.prices import DEFAULT_PRICE_FILE, PriceList, load_prices
from tools.cost.usage import DEFAULT_MEMORY_MB, STEP_FUNCTION_PREFIX, Design

# No traces, logs or metrics: isolates what a design itself costs.
UNOBSERVED = Observability(
    lambda_tracing=False,
    state_machine_tracing=False,
    state_machine_log_level="OFF",
    function_log_bytes_per_invocation=0,
)

MIX = Mix.parse("8:1:1")


def run(
    design: Design = "ours",
    *,
    prices: PriceList | None = None,
    durations: Durations | None = None,
    orders: int = 100_000,
    mix: Mix = MIX,
    observability: Observability | None = None,
) -> Estimate:
    return estimate(
        ALL_SERVICES,
        design,
        orders_per_month=orders,
        mix=mix,
        prices=prices or load_prices(),
        durations=durations or Durations(),
        architecture="x86_64",
        observability=observability,
    )


def write_prices(tmp_path: Path, **changes: float) -> Path:
    document = json.loads(DEFAULT_PRICE_FILE.read_text(encoding="utf-8"))
    for name, usd in changes.items():
        document["prices"][name]["usd"] = usd
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_changing_a_price_in_the_file_changes_the_figure_by_exactly_its_share(
    tmp_path: Path,
) -> None:
    before = run()
    dearer = load_prices(write_prices(tmp_path, ses_email=0.20))  # was $0.10 per 1,000

    after = run(prices=dearer)

    emails = before.line("SES emails").quantity
    assert after.per_order - before.per_order == pytest.approx(emails * 0.10 / 1000)
    assert after.per_month > before.per_month


def test_a_price_of_zero_removes_its_line_from_the_total(tmp_path: Path) -> None:
    free_transitions = load_prices(write_prices(tmp_path, step_functions_state_transition=0))

    estimate_ = run(prices=free_transitions)

    assert estimate_.line("Step Functions transitions").usd == 0
    assert estimate_.line("Step Functions transitions").quantity == pytest.approx(3.8)


def test_the_price_list_has_a_date_and_a_source_for_every_price() -> None:
    prices = load_prices()

    assert prices.region == "us-east-1"
    assert prices.as_of.year >= 2025
    for price in prices.prices.values():
        assert prices.sources[price.source].startswith("https://aws.amazon.com/")


def test_a_price_file_without_a_price_the_model_needs_is_refused(tmp_path: Path) -> None:
    document = json.loads(DEFAULT_PRICE_FILE.read_text(encoding="utf-8"))
    del document["prices"]["sqs_request"]
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(ValueError, match="sqs_request"):
        load_prices(path)


def test_payloads_are_billed_in_started_chunks() -> None:
    prices = load_prices()

    assert prices.chunks("eventbridge_event", 1) == 1
    assert prices.chunks("eventbridge_event", 64 * 1024) == 1
    assert prices.chunks("eventbridge_event", 64 * 1024 + 1) == 2
    assert prices.chunks("http_api_request", 600 * 1024) == 2


def test_per_order_counts_follow_the_wirings_for_each_outcome() -> None:
    usage = run().usage

    # Functions each event reaches (subscriptions -> queues -> functions), one per record;
    # the timeline gets every journey event and each email's EmailOutcomeRecorded.
    assert [usage[o].lambda_requests for o in OUTCOMES] == [22, 19, 15]
    assert [usage[o].event_count for o in OUTCOMES] == [8, 6, 5]
    # Each delivery: the rule's SendMessage, the poller's receive and its delete.
    assert [usage[o].sqs_requests for o in OUTCOMES] == [54, 45, 39]
    assert [usage[o].ses_emails for o in OUTCOMES] == [3, 2, 2]
    assert [usage[o].sns_email_notifications for o in OUTCOMES] == [1, 1, 1]
    assert [usage[o].function_url_requests for o in OUTCOMES] == [2, 2, 0]
    assert [usage[o].transitions for o in OUTCOMES] == [4, 3, 3]
    # The stream mapping's filter passes INSERTs only: status updates and the cancellation's
    # delete never invoke the outbox.
    assert [usage[o].functions["orders/outbox"].invocations for o in OUTCOMES] == [1, 1, 1]


def test_the_all_lambda_design_adds_one_invocation_per_task_state_and_nothing_else() -> None:
    prices = load_prices()
    ours = run("ours", observability=UNOBSERVED)
    other = run("all-lambda", observability=UNOBSERVED)

    tasks_per_order = sum(
        MIX.share(o) * sum(s.is_task for s in ours.usage[o].steps) for o in OUTCOMES
    )
    per_invocation = prices.unit_usd("lambda_request") + (
        ASSUMED_MS / 1000 * DEFAULT_MEMORY_MB / 1024 * prices.unit_usd("lambda_gb_second_x86_64")
    )
    assert tasks_per_order == pytest.approx(0.8 * 3 + 0.2 * 2)
    assert other.per_order - ours.per_order == pytest.approx(tasks_per_order * per_invocation)
    assert {k for k in other.usage["approve"].functions if k.startswith(STEP_FUNCTION_PREFIX)} == {
        f"{STEP_FUNCTION_PREFIX}{name}"
        for name in ("RequestApproval", "EmitOrderShipped", "EmitFeedbackDue")
    }
    assert other.line("Step Functions transitions") == ours.line("Step Functions transitions")


def test_monthly_and_per_million_figures_add_up() -> None:
    result = run(orders=250_000)

    assert result.per_month == pytest.approx(
        result.variable_per_order * 250_000 + result.fixed_per_month
    )
    assert result.per_million_orders == pytest.approx(result.per_order * 1_000_000)
    # Fixed costs weigh less per order as volume grows.
    assert run(orders=1_000_000).per_order < result.per_order


def test_signing_key_calls_are_capped_by_the_cache_per_warm_environment() -> None:
    few, many = run(orders=1_000), run(orders=10_000_000)

    # Few orders: every invocation that needs the key fetches it.
    assert few.line("Secrets Manager calls").quantity == pytest.approx(0.8 * 3 + 0.1 * 3 + 0.1)
    # Many: two functions, one fetch per cache period each, shared over all orders.
    cap = 2 * SECONDS_PER_MONTH / KEY_CACHE_SECONDS
    assert many.line("Secrets Manager calls").quantity == pytest.approx(cap / 10_000_000)


def test_the_mix_is_parsed_and_normalised() -> None:
    mix = Mix.parse("2:1:1")

    assert (mix.approve, mix.reject, mix.timeout) == (0.5, 0.25, 0.25)
    for bad in ("1:1", "a:b:c", "0:0:0", "-1:1:1"):
        with pytest.raises(ValueError, match="approve:reject:timeout"):
            Mix.parse(bad)


def test_an_all_approved_mix_prices_only_the_approve_path() -> None:
    only = run(mix=Mix.parse("1:0:0"))

    assert only.line("Step Functions transitions").quantity == 4
    assert only.line("SES emails").quantity == 3


def test_measured_durations_from_a_bench_file_replace_the_assumption(tmp_path: Path) -> None:
    bench = tmp_path / "latest.json"
    bench.write_text(
        json.dumps({"handler_durations_ms": {"notifications/email": {"p50": 150.0}}}),
        encoding="utf-8",
    )

    durations = load_durations(bench)
    measured = run(durations=durations)

    assert durations.is_measured("notifications/email")
    assert durations.ms("orders/api") == ASSUMED_MS
    emails = measured.usage["approve"].functions["notifications/email"].invocations
    assert emails == 3
    extra_gb_s = (
        sum(
            MIX.share(o) * measured.usage[o].functions["notifications/email"].invocations
            for o in OUTCOMES
        )
        * (0.150 - 0.050)
        * 256
        / 1024
    )
    assert measured.line("Lambda duration").quantity - run().line(
        "Lambda duration"
    ).quantity == pytest.approx(extra_gb_s)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"handlers": {"orders/api": 12.5}}, {"orders/api": 12.5}),
        ({"durations_ms": {"orders/api": {"median_ms": 9}}}, {"orders/api": 9.0}),
        ({"handlers": {"orders/api": {"p95": 30}}}, {}),
        ({"handlers": {"not-a-function": 3}}, {}),
        ({"handlers": {"orders/api": True}}, {}),
        ([1, 2, 3], {}),
    ],
)
def test_bench_files_are_read_leniently(document: object, expected: dict[str, float]) -> None:
    assert parse_bench(document) == expected


def test_without_a_bench_file_the_assumption_is_used_and_said(tmp_path: Path) -> None:
    durations = load_durations(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    assert durations.measured == {}
    assert "assumed 50 ms" in durations.source
    assert "could not be read" in load_durations(broken).source


def test_the_architecture_is_what_infra_deploys(tmp_path: Path) -> None:
    arm = tmp_path / "lambda_code.py"
    arm.write_text("ARCHITECTURE = lambda_.Architecture.ARM_64\n", encoding="utf-8")

    assert deployed_architecture() == "x86_64"
    assert deployed_architecture(arm) == "arm64"
    assert deployed_architecture(tmp_path / "missing.py") == "x86_64"


def test_arm64_prices_duration_at_the_arm_rate() -> None:
    prices = load_prices()
    x86 = run()
    arm = estimate(
        ALL_SERVICES,
        "ours",
        orders_per_month=100_000,
        mix=MIX,
        prices=prices,
        durations=Durations(),
        architecture="arm64",
    )

    ratio = prices.unit_usd("lambda_gb_second_arm64") / prices.unit_usd("lambda_gb_second_x86_64")
    assert arm.line("Lambda duration").usd == pytest.approx(x86.line("Lambda duration").usd * ratio)
