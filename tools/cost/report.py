"""``shop cost``: the figures as a readable table, ours against the designs a team would
consider instead and against the floor the emails alone cost."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TextIO

from events.models import EVENTS_BY_DETAIL_TYPE
from services.common.wiring import ServiceWiring
from tools.cost.asl_paths import OUTCOMES
from tools.cost.durations import Durations, load_durations
from tools.cost.model import (
    Estimate,
    Mix,
    deployed_architecture,
    estimate,
    floor_per_order,
    observability_share,
)
from tools.cost.observability import deployed_observability
from tools.cost.prices import PriceList, load_prices
from tools.cost.sizes import event_bytes
from tools.cost.usage import (
    DESIGN_LABELS,
    DESIGNS,
    STEP_FUNCTION_PREFIX,
    Assumptions,
    Design,
    Usage,
)


def run_report(args: argparse.Namespace, out: TextIO) -> int:
    from local.services import ALL_SERVICES  # noqa: PLC0415 - wirings load only for this command

    try:
        mix = Mix.parse(args.mix)
    except ValueError as error:
        print(f"shop cost: {error}", file=sys.stderr)
        return 2
    if args.orders_per_month <= 0:
        print("shop cost: --orders-per-month must be positive", file=sys.stderr)
        return 2
    prices = load_prices(args.prices)
    durations = load_durations(args.bench)
    assumptions = Assumptions()
    estimates = {
        design: estimate(
            ALL_SERVICES,
            design,
            orders_per_month=args.orders_per_month,
            mix=mix,
            prices=prices,
            durations=durations,
            assumptions=assumptions,
        )
        for design in DESIGNS
    }
    write_report(
        out, estimates, prices=prices, durations=durations, mix=mix, assumptions=assumptions
    )
    if args.details:
        write_details(out, estimates["ours"], ALL_SERVICES, durations)
    return 0


def _usd(value: float) -> str:
    if value == 0:
        return "$0"
    if value < 0.01:
        return f"${value:.7f}"
    return f"${value:,.2f}"


def _qty(value: float) -> str:
    if value == round(value):
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:,.1f}"
    if value >= 0.01:
        return f"{value:.3g}"
    return f"{value:.2e}"


def write_report(
    out: TextIO,
    estimates: Mapping[Design, Estimate],
    *,
    prices: PriceList,
    durations: Durations,
    mix: Mix,
    assumptions: Assumptions,
) -> None:
    ours, other = estimates["ours"], estimates["all-lambda"]
    seen = deployed_observability()
    n = ours.orders_per_month
    arch = deployed_architecture()
    print(f"shop cost: {n:,} orders a month, approve:reject:timeout = {mix}", file=out)
    print(
        f"prices: {prices.region} on-demand list prices as of {prices.as_of} "
        f"({prices.currency}, no free tier), sources: {', '.join(sorted(prices.sources))}",
        file=out,
    )
    print(
        f"Lambda: {arch} (what infra deploys); durations: {durations.source}; memory as declared",
        file=out,
    )

    print("\nPer order, from the design (ours; all-Lambda adds the + column)", file=out)
    print(f"  {'':<34}" + "".join(f"{o:>10}" for o in OUTCOMES) + f"{'all-Lambda':>12}", file=out)
    rows: list[tuple[str, str]] = [
        ("state transitions (ASL walk)", "transitions"),
        ("Lambda invocations", "lambda_requests"),
        ("events put on the bus", "event_count"),
        ("SQS requests (send+receive+delete)", "sqs_requests"),
        ("DynamoDB write units", "write_units"),
        ("DynamoDB read units", "read_units"),
        ("customer emails (SES)", "ses_emails"),
        ("owner messages (SNS email)", "sns_email_notifications"),
        ("HTTP API requests", "http_api_requests"),
        ("Function URL requests", "function_url_requests"),
    ]
    for label, attribute in rows:
        values = [float(getattr(ours.usage[o], attribute)) for o in OUTCOMES]
        extra = [
            float(getattr(other.usage[o], attribute)) - v
            for o, v in zip(OUTCOMES, values, strict=True)
        ]
        added = "/".join(f"+{_qty(e)}" for e in extra) if any(extra) else ""
        print(
            f"  {label:<34}" + "".join(f"{_qty(v):>10}" for v in values) + f"{added:>12}", file=out
        )
    paths = {o: " > ".join(s.name for s in ours.usage[o].steps) for o in OUTCOMES}
    for outcome, path in paths.items():
        print(f"    {outcome}: {path}", file=out)

    labels = [DESIGN_LABELS[d] for d in estimates]
    print(
        f"\n{'Cost, mix-weighted, per order':<51}" + "".join(f"{x:>12}" for x in labels), file=out
    )
    print(f"  {'(quantity: ours)':<49}", file=out)
    for index, mine in enumerate(ours.lines):
        cells = [e.lines[index].usd for e in estimates.values()]
        if not any(cells):
            continue
        print(
            f"  {mine.label:<26}{_qty(mine.quantity):>8} {mine.unit:<14}"
            + "".join(f"{_usd(c):>12}" for c in cells),
            file=out,
        )
    print("  fixed per month:", file=out)
    for index, fixed in enumerate(ours.fixed):
        cells = [e.fixed[index].usd for e in estimates.values()]
        print(
            f"    {fixed.label:<36}{_qty(fixed.quantity):>10} {fixed.unit:<1}"
            + "".join(f"{_usd(c):>12}" for c in cells),
            file=out,
        )
    print(f"  {'-' * (49 + 12 * len(labels))}", file=out)
    totals = (
        ("per order (fixed shared out)", "per_order"),
        (f"per month ({n:,} orders)", "per_month"),
        ("per million orders (at this rate)", "per_million_orders"),
    )
    for label, attribute in totals:
        cells = [float(getattr(e, attribute)) for e in estimates.values()]
        print(f"  {label:<49}" + "".join(f"{_usd(c):>12}" for c in cells), file=out)
    floor = floor_per_order(ours)
    print(
        f"  {'floor: the emails and owner message alone':<49}{_usd(floor):>12}"
        f"   ({_usd(floor * n)} a month)",
        file=out,
    )
    print(
        "  against that floor: "
        + ", ".join(f"{DESIGN_LABELS[d]} {e.per_order / floor:.2f}x" for d, e in estimates.items())
        + f"; observability is {observability_share(ours):.0%} of ours.",
        file=out,
    )
    biggest = sorted(ours.lines, key=lambda line: line.usd, reverse=True)[:3]
    shares = ", ".join(f"{line.label} {line.usd / ours.per_order:.0%}" for line in biggest)
    print(f"  largest lines (ours): {shares}.", file=out)

    print("\nAssumptions (see tools/cost/*.py):", file=out)
    sizes = assumptions.item_sizes
    for text in (
        f"messages per Lambda batch {assumptions.messages_per_batch:g} (quiet queues); "
        f"link opens before the POST {assumptions.link_opens_per_decision:g}; "
        f"POSTs with an Idempotency-Key {assumptions.idempotency_key_share:.0%}",
        f"typical order {sizes.order_bytes} B of JSON (events/examples, 4 items); "
        f"task token {sizes.task_token_bytes} B; largest example event {_largest_event()} B "
        "(one 64 KB chunk)",
        f"SQS pollers: {assumptions.sqs_pollers_per_queue} per event source, one empty "
        f"receive each per {assumptions.sqs_long_poll_seconds} s (counted on top of the "
        "message-bearing receives: an upper bound)",
        "no retries, duplicates or GET /orders polling; DynamoDB stream reads by Lambda are "
        "free; storage (tables, logs kept, archive kept) is not included",
        f"observability as infra deploys it: X-Ray on functions {seen.lambda_tracing}, on the "
        f"state machine {seen.state_machine_tracing}, every invocation and execution one "
        f"trace (an upper bound) under the default sampling rule "
        f"({seen.xray_reservoir_per_second:g}/s then {seen.xray_fixed_rate:.0%}); function "
        f"logs at {seen.function_log_level}, {seen.function_log_bytes_per_invocation} B per "
        f"invocation; state machine logs at {seen.state_machine_log_level}, "
        f"{seen.state_machine_log_event_bytes} B per event; EMF metrics billed by the hour: "
        f"{seen.custom_metrics} every hour (an order's journey), {seen.rare_metrics} only on "
        f"faults, duplicates or opt-outs, assumed sent in {seen.rare_metric_hour_share:.0%} "
        "of hours",
        "Lambda/step (the seed's design): each Task state invokes a function (default "
        f"memory, {durations.assumed_ms:g} ms) that sends the message or puts the event "
        "itself; Pass states and the Wait stay in the same Standard workflow",
        "Scheduler: no state machine; one conditional write of a journey item per step, and "
        "a one-time schedule invoking a function (default memory, "
        f"{durations.assumed_ms:g} ms) for the feedback delay and for a window nobody "
        "answered (see tools/cost/usage.py)",
    ):
        print(f"  - {text}", file=out)


def _largest_event() -> int:
    return max(event_bytes(detail_type) for detail_type in EVENTS_BY_DETAIL_TYPE)


def write_details(
    out: TextIO, ours: Estimate, services: tuple[ServiceWiring, ...], durations: Durations
) -> None:
    print("\nPer function, per order (ours): invocations / write units / read units", file=out)
    keys = sorted({k for u in ours.usage.values() for k in u.functions})
    print(f"  {'function':<28}" + "".join(f"{o:>22}" for o in OUTCOMES) + "  duration", file=out)
    for key in keys:
        if key.startswith(STEP_FUNCTION_PREFIX):
            continue
        cells = []
        for outcome in OUTCOMES:
            use = _use(ours.usage[outcome], key)
            cells.append(f"{_qty(use[0])}/{_qty(use[1])}/{_qty(use[2])}")
        measured = "measured" if durations.is_measured(key) else "assumed"
        print(
            f"  {key:<28}"
            + "".join(f"{c:>22}" for c in cells)
            + f"  {durations.ms(key):g} ms {measured}",
            file=out,
        )


def _use(usage: Usage, key: str) -> tuple[float, float, float]:
    use = usage.functions.get(key)
    return (0.0, 0.0, 0.0) if use is None else (use.invocations, use.write_units, use.read_units)
