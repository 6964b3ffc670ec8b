"""What a bench run prints, and the figures it writes (JSON) and draws (PNG).

The chart needs matplotlib, which is in the ``bench`` extra (``make test`` installs it; the
local stack alone does not need it). Without it the run still reports and writes the JSON,
and says how to get the chart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from tools.bench.invariants import InvariantResult


def invariants_table(results: Sequence[InvariantResult], out: TextIO) -> None:
    width = max(len(r.name) for r in results)
    for result in results:
        verdict = "ok  " if result.ok else "FAIL"
        print(f"  {verdict}  {result.name:<{width}}  ({result.checked} checked)", file=out)
        for problem in result.problems:
            print(f"          - {problem}", file=out)


def _latency_line(label: str, summary: Mapping[str, Any] | None) -> str:
    if not summary:
        return f"  {label:<36} (none measured)"
    return (
        f"  {label:<36} p50 {summary['p50']:6.2f} s   p95 {summary['p95']:6.2f} s   "
        f"max {summary['max']:6.2f} s   (n={summary['count']})"
    )


def baseline_meaning(ratio: float) -> str:
    """What ``ours / bare`` says, in words."""
    verdict = (
        "the services cost no throughput beyond the workflow itself"
        if ratio >= 1.0
        else f"the services cut throughput to {ratio:.0%} of what the workflow alone allows"
    )
    return (
        f"meaning: with the same clients, mix and waits, the whole shop (API, bus, queues, "
        f"handlers, emails) ends orders at {ratio:.2f}x the rate moto's bare state machine ends "
        f"the same executions: {verdict}. Both run on moto on this machine, so this is the "
        f"services' share of the cost here, not a forecast for AWS."
    )


def print_report(figures: Mapping[str, Any], out: TextIO) -> None:
    config = figures["config"]
    print(f"\n{figures['command']}", file=out)
    print(
        f"  {config['orders']} orders, mix {config['mix']} (approve:reject:timeout), "
        f"fail rate {config['fail_rate']}, duplicate rate {config['duplicate_rate']}, "
        f"{config['concurrency']} clients, seed {config['seed']}, approval window "
        f"{config['approval_window_seconds']} s, "
        f"feedback delay {config['feedback_delay_seconds']} s",
        file=out,
    )
    tp = figures["throughput"]
    print("\nThroughput", file=out)
    print(
        f"  {tp['orders_per_second']:.2f} orders/s to their terminal state "
        f"({tp['orders']} orders in {tp['span_seconds']:.1f} s, first POST to last email)",
        file=out,
    )
    baseline = figures.get("baseline")
    if baseline and "error" in baseline:
        print(f"  bare state machine on moto: not measured ({baseline['error']})", file=out)
    elif baseline and figures.get("overhead"):
        ratio = figures["overhead"]["throughput_ratio"]
        ended = baseline.get("ended", baseline["executions"])
        print(
            f"  bare state machine on moto: {baseline['throughput_per_second']:.2f} executions/s "
            f"({ended} ended in {baseline['wall_seconds']:.1f} s; same mix and clients, each "
            f"following an answered execution to its end and leaving a timeout as ours do, in "
            f"a process of its own); "
            f"ours / bare = {ratio:.2f}",
            file=out,
        )
        print(f"  {baseline_meaning(ratio)}", file=out)
    latency = figures["latency_seconds"]
    print(
        "\nLatency (mailbox looked at as moto stores each message; at the latest after"
        f" {latency['resolution_seconds'] * 1000:.0f} ms)",
        file=out,
    )
    print(
        _latency_line("order placed -> confirmation email", latency["placed_to_confirmation"]),
        file=out,
    )
    print(
        _latency_line("approval POST -> shipment email", latency["approval_to_shipment"]), file=out
    )
    faults = figures.get("faults")
    if faults:
        print("\nOutages and bounces", file=out)
        print(
            f"  bus down {faults['bus_outage_seconds']:.0f} s ({faults['put_events_refused']} "
            f"PutEvents refused), SES down {faults['ses_outage_seconds']:.0f} s "
            f"({faults['send_email_refused']} SendEmail refused), "
            f"{faults['bouncing_orders']} orders to a bouncing address, "
            f"{faults['emails_failed']} emails ended failed, "
            f"{faults['emails_sent_after_stale_claim']} sent again after a stale claim",
            file=out,
        )
    retries = figures["retries"]
    print("\nRetries", file=out)
    print(
        f"  {retries['failed_invocations']} failed invocations (injected) of "
        f"{retries['invocations']}, {retries['sqs_redeliveries']} SQS redeliveries, "
        f"{retries['duplicated_events']} events delivered twice, "
        f"{retries['client_http_retries']} client HTTP retries",
        file=out,
    )
    decisions = figures["decisions"]
    print("\nDecisions", file=out)
    intended, effective = decisions["intended"], decisions["effective"]
    print(
        "  intended {approve}:{reject}:{timeout}, ".format(**intended)
        + "ended as {approve}:{reject}:{timeout} (approve:reject:timeout)".format(**effective),
        file=out,
    )
    print(
        f"  {decisions['missed_window']} intended decision(s) missed the approval window; "
        f"{decisions['late_for_the_workflow']} reached the workflow as its window closed "
        f"({decisions['late_and_timed_out']} of them ended as timeouts)",
        file=out,
    )
    dlq = figures["dlq"]
    print("\nDLQs", file=out)
    for label, count in dlq["before_redrive"].items():
        after = dlq["after_redrive"].get(label, count) if dlq["after_redrive"] else count
        tail = f" -> {after} after redrive" if dlq["after_redrive"] is not None else ""
        print(f"  {label:<36} {count:>4}{tail}", file=out)
    if dlq["redriven"]:
        print(f"  redriven: {dlq['redriven']} message(s)", file=out)
    print("\nInvariants", file=out)
    first = [InvariantResult(**r) for r in figures["invariants"]["first_pass"]]
    invariants_table(first, out)
    if figures["invariants"]["after_redrive"] is not None:
        print("\nInvariants after one redrive", file=out)
        invariants_table(
            [InvariantResult(**r) for r in figures["invariants"]["after_redrive"]], out
        )
    print(f"\n{'every invariant holds' if figures['ok'] else 'AN INVARIANT FAILED'}", file=out)


def write_json(figures: Mapping[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def draw_chart(series: Mapping[str, Sequence[float]], title: str, path: Path) -> bool:
    """The cumulative distribution of each latency series; False without matplotlib."""
    try:
        import matplotlib  # noqa: PLC0415 - optional, and slow to import

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    for label, values in series.items():
        if not values:
            continue
        ordered = sorted(values)
        share = [(i + 1) / len(ordered) for i in range(len(ordered))]
        axes.step(ordered, share, where="post", label=f"{label} (n={len(ordered)})")
    axes.axhline(0.5, color="#999999", linewidth=0.8, linestyle=":")
    axes.axhline(0.95, color="#999999", linewidth=0.8, linestyle=":")
    axes.set_xlabel("seconds")
    axes.set_ylabel("share of orders")
    axes.set_ylim(0, 1.02)
    axes.set_xlim(left=0)
    axes.set_title(title, fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return True
