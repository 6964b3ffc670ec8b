"""One bench run, start to report.

1. Start a fresh local stack (free ports, a prefix and bus of its own, short durations) with
   the fault injector in front of every handler and, if asked, the event duplicator on the bus.
2. Run the clients: ``concurrency`` at a time, each places an order, waits for the owner's
   message, answers it as the mix says and follows the order to its last email. Wait until
   every order has its last email, or nothing can move any more (no client busy, no message
   queued, no execution running).
3. Stop injecting; let the queues drain; gather the evidence; check the invariants.
4. If a DLQ holds messages (and ``redrive`` is on): redrive them once, answer the owner's
   messages that only now arrive, wait again, check again. Both verdicts are reported.
5. Stop the stack; run the bare state machine baseline; print, write the JSON and the chart.

Throughput and latencies are measured in the first pass only (what a redrive recovers has
waited for an operator, not for the system).
"""

from __future__ import annotations

import logging
import os
import random
import secrets
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TextIO

from local import dlq
from local.logs import configure
from local.outages import bus_outage, ses_outage
from local.server import LocalServer
from local.settings import LocalStackSettings
from local.stack import LocalStack
from tools.bench import baseline, report
from tools.bench.config import DECISIONS, BenchConfig
from tools.bench.durations import SECTION as DURATIONS_SECTION
from tools.bench.durations import HandlerTimer
from tools.bench.evidence import gather, is_terminal, running_executions
from tools.bench.faults import EventDuplicator, FaultInjector
from tools.bench.invariants import (
    Evidence,
    InvariantResult,
    OrderEvidence,
    check_all,
    late_for_the_workflow,
)
from tools.bench.load import Answer, journeys_for, resume, run_journey
from tools.bench.observe import POLL_SECONDS, MailWatch
from tools.bench.stats import counts, seconds_between, summarize, throughput

log = logging.getLogger("shop.bench")
TICK_SECONDS = 0.5
QUIET_TICKS = 3  # "nothing can move any more" must hold this many ticks in a row
SETTLE_TIMEOUT_SECONDS = 60.0
DETAILS_SHOWN = 20
TERMINAL_KINDS = ("feedback_request", "order_cancelled")


class Progress:
    """``[#####.....] 250/500 orders done`` on one line of a terminal (or nowhere)."""

    def __init__(self, stream: TextIO | None, total: int, width: int = 30) -> None:
        self._stream = stream
        self._total = total
        self._width = width
        self._last = ""

    def show(self, done: int, placed: int, elapsed: float, note: str = "") -> None:
        if self._stream is None:
            return
        filled = self._width * done // max(self._total, 1)
        bar = "#" * filled + "." * (self._width - filled)
        line = (
            f"\r[{bar}] {done}/{self._total} orders done, {placed} placed, {elapsed:4.0f} s{note}"
        )
        if line != self._last:
            self._stream.write(line)
            self._stream.flush()
            self._last = line

    def end(self) -> None:
        if self._stream is not None and self._last:
            self._stream.write("\n")
            self._stream.flush()
            self._last = ""


class BenchRun:
    def __init__(
        self,
        config: BenchConfig,
        *,
        command: str = "shop bench",
        progress: TextIO | None = None,
    ) -> None:
        self.config = config
        self.command = command
        self.run_id = secrets.token_hex(3)
        self.settings = LocalStackSettings(
            prefix=f"bench-{self.run_id}",
            bus_name=f"bench-{self.run_id}",
            port=0,
            moto_port=0,
            approval_window_seconds=config.approval_window_seconds,
            feedback_delay_seconds=config.feedback_delay_seconds,
            visibility_timeout_seconds=config.visibility_timeout_seconds,
        )
        rng = random.Random(config.seed)  # noqa: S311 - a repeatable mix, not a secret
        decisions = config.mix.assign(config.orders, rng)
        bouncing = random.Random(config.seed + 2)  # noqa: S311 - repeatable, not a secret
        bounces = frozenset(
            i for i in range(config.orders) if bouncing.random() < config.bounce_rate
        )
        self.journeys = journeys_for(decisions, self.run_id, bounces)
        self.outages = {
            "bus": (bus_outage(), config.bus_outage_seconds),
            "ses": (ses_outage(), config.ses_outage_seconds),
        }
        self.injector = FaultInjector(config.fail_rate, config.seed)
        self.progress = Progress(progress, config.orders)
        self.terminal_at: dict[str, datetime] = {}
        self.first_pass_terminal: dict[str, datetime] = {}
        self.evidence: list[Evidence] = []  # first pass, then after the redrive if any
        self.invariants: list[list[InvariantResult]] = []
        self.redriven = 0
        self.redrive_at: datetime | None = None
        self.bare: dict[str, Any] | None = None
        self.watch: MailWatch | None = None
        self.duplicated: dict[str, int] = {}
        self.timer = HandlerTimer()
        self._started = 0.0

    # --- running ---------------------------------------------------------------------------

    def execute(self) -> dict[str, Any]:
        started_at, load_average = datetime.now(UTC), os.getloadavg()
        with LocalServer(self.settings, before_invoke=self.injector) as server:
            stack = server.stack
            assert stack is not None
            self.timer.attach(stack.functions)
            watch = self.watch = MailWatch(stack.mailbox)
            duplicator = EventDuplicator(
                stack.tap,
                stack.client("events"),
                self.settings.bus_name,
                self.config.duplicate_rate,
                self.config.seed + 1,
            )
            pool = ThreadPoolExecutor(self.config.concurrency, thread_name_prefix="bench-client")
            watch.start()
            # At rate 0 it still reads the tap, which then never piles up thousands of events.
            duplicator.start()
            timers = self._schedule_outages()
            try:
                self._passes(stack, server.url, watch, duplicator, pool)
            finally:
                for timer in timers:
                    timer.cancel()
                for outage, _ in self.outages.values():
                    outage.uninstall()
                self.progress.end()
                pool.shutdown(wait=False, cancel_futures=True)
                duplicator.stop()
                watch.stop()
                self.duplicated = dict(sorted(duplicator.duplicated.items()))
        if self.config.baseline:
            try:
                self.bare = baseline.run_in_subprocess(
                    self.config.orders,
                    concurrency=self.config.concurrency,
                    mix=self.config.mix,
                    seed=self.config.seed,
                    approval_window_seconds=self.config.approval_window_seconds,
                    feedback_delay_seconds=self.config.feedback_delay_seconds,
                )
            except Exception as error:  # the shop's own figures are worth reporting anyway
                log.exception("bench: the baseline failed")
                self.bare = {"error": f"{type(error).__name__}: {error}"}
        return self.figures(started_at, load_average)

    def _schedule_outages(self) -> list[threading.Timer]:
        """Install the outages on the handlers' session; each starts a few seconds into the
        run (orders are in flight) and ends by itself."""
        timers = []
        for outage, seconds in self.outages.values():
            outage.install()
            if seconds > 0:
                timer = threading.Timer(
                    self.config.outage_start_seconds, outage.start, args=(seconds,)
                )
                timer.daemon = True
                timer.start()
                timers.append(timer)
        return timers

    def _passes(
        self,
        stack: LocalStack,
        base_url: str,
        watch: MailWatch,
        duplicator: EventDuplicator,
        pool: ThreadPoolExecutor,
    ) -> None:
        wait = self.config.owner_wait_seconds
        self._started = time.monotonic()
        end = self.config.settle_seconds
        customers = stack.customers()
        clients = [
            pool.submit(run_journey, base_url, watch, j, wait, end, customers=customers)
            for j in self.journeys
        ]
        self._wait_for_ends(stack, watch, clients)
        self.first_pass_terminal = dict(self.terminal_at)
        self.injector.enabled = False
        duplicator.stop()
        self._check(stack, base_url, watch)
        if not (self.config.redrive and any(self.evidence[0].dlq.values())):
            return
        self.redrive_at = datetime.now(UTC)
        self.redriven = sum(
            r.moved for r in dlq.redrive(stack.client("sqs"), stack.settings.prefix)
        )
        # Orders whose owner's message was parked in a DLQ get their answer now.
        waiting = [
            j
            for j in self.journeys
            if j.order_id and j.answer is Answer.NOT_ASKED and j.intended != "timeout"
        ]
        clients = [pool.submit(resume, watch, j, wait) for j in waiting]
        self._wait_for_ends(stack, watch, clients, note=" (after redrive)")
        self._check(stack, base_url, watch)

    def _wait_for_ends(
        self,
        stack: LocalStack,
        watch: MailWatch,
        clients: Sequence[Future[None]],
        note: str = "",
    ) -> None:
        """Until every placed order has its last email, or nothing can move any more."""
        deadline = time.monotonic() + self.config.max_seconds
        quiet = 0
        while True:
            self._update_terminal(watch)
            placed = sum(1 for j in self.journeys if j.order_id)
            done = len(self.terminal_at)
            self.progress.show(done, placed, time.monotonic() - self._started, note)
            clients_done = all(c.done() for c in clients)
            if clients_done and done == placed:
                return
            if time.monotonic() > deadline:
                log.error("bench: gave up waiting after %.0f s", self.config.max_seconds)
                return
            if clients_done:
                idle = stack.busy_messages() == 0 and running_executions(stack) == 0
                quiet = quiet + 1 if idle else 0
                if quiet >= QUIET_TICKS:
                    return
            time.sleep(TICK_SECONDS)

    def _update_terminal(self, watch: MailWatch) -> None:
        for journey in self.journeys:
            order_id = journey.order_id
            if order_id and order_id not in self.terminal_at and is_terminal(watch, order_id):
                seen = [watch.first_seen(order_id, kind) for kind in TERMINAL_KINDS]
                self.terminal_at[order_id] = min(s for s in seen if s is not None)

    def _check(self, stack: LocalStack, base_url: str, watch: MailWatch) -> None:
        try:
            stack.wait_until_idle(timeout=SETTLE_TIMEOUT_SECONDS)
        except TimeoutError:
            log.warning("bench: the queues did not drain within %.0f s", SETTLE_TIMEOUT_SECONDS)
        evidence = gather(stack, base_url, watch, self.journeys, self.config.concurrency)
        self.evidence.append(evidence)
        self.invariants.append(check_all(evidence))

    # --- figures ---------------------------------------------------------------------------

    def latencies(self) -> dict[str, list[float]]:
        """Both latency series, from the first pass (emails seen before any redrive)."""
        watch, cut = self.watch, self.redrive_at
        assert watch is not None, "not run"

        def first_pass(seen: datetime | None) -> datetime | None:
            return seen if seen is not None and (cut is None or seen < cut) else None

        effective = {o.order_id: o.effective for o in self.evidence[-1].orders}
        placed = [j for j in self.journeys if j.order_id]
        return {
            "order placed -> confirmation email": seconds_between(
                (j.placed_at, first_pass(watch.first_seen(j.order_id, "order_received")))
                for j in placed
            ),
            "approval POST -> shipment email": seconds_between(
                (j.decided_at, first_pass(watch.first_seen(j.order_id, "shipment_confirmed")))
                for j in placed
                if effective.get(j.order_id) == "approve"
            ),
        }

    def figures(
        self, started_at: datetime, load_average: tuple[float, float, float]
    ) -> dict[str, Any]:
        first_post = min((j.post_started for j in self.journeys if j.post_started), default=0.0)
        ends = [t.timestamp() for t in self.first_pass_terminal.values()]
        last_end = max(ends, default=first_post)
        ours = throughput(len(ends), first_post, last_end)
        confirmation, shipment = (summarize(s) for s in self.latencies().values())
        final = self.evidence[-1]
        effective = [o.effective for o in final.orders]
        bare = self.bare
        return {
            "command": self.command,
            "started_at": started_at.isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "load_average_at_start": list(load_average)},
            "config": {
                **{
                    k: v
                    for k, v in asdict(self.config).items()
                    if k not in ("json_path", "chart_path")
                },
                "mix": str(self.config.mix),
            },
            "throughput": {
                "orders_per_second": round(ours, 3),
                "orders": len(ends),
                "span_seconds": round(last_end - first_post, 3),
            },
            "latency_seconds": {
                "resolution_seconds": POLL_SECONDS,
                "placed_to_confirmation": confirmation.to_json() if confirmation else None,
                "approval_to_shipment": shipment.to_json() if shipment else None,
            },
            "decisions": {
                "intended": {d: sum(j.intended == d for j in self.journeys) for d in DECISIONS},
                "effective": {d: effective.count(d) for d in DECISIONS},
                "missed_window": sum(
                    o.intended != "timeout" and o.effective == "timeout" for o in final.orders
                ),
                # Recorded by approvals, but relayed as the workflow's window closed.
                "late_for_the_workflow": sum(
                    o.answer == "recorded" and late_for_the_workflow(o.token) for o in final.orders
                ),
                "late_and_timed_out": sum(
                    o.answer == "recorded" and o.effective == "timeout" for o in final.orders
                ),
                "answers": counts(j.answer.value if j.answer else "none" for j in self.journeys),
            },
            "retries": {
                "invocations": sum(self.injector.invocations.values()),
                "failed_invocations": sum(self.injector.failures.values()),
                "failed_by_function": dict(sorted(self.injector.failures.items())),
                "sqs_redeliveries": sum(self.injector.redelivered.values()),
                "duplicated_events": sum(self.duplicated.values()),
                "duplicated_by_type": self.duplicated,
                "client_http_retries": sum(j.http_retries for j in self.journeys),
            },
            "faults": {
                "bus_outage_seconds": self.config.bus_outage_seconds,
                "put_events_refused": self.outages["bus"][0].refused,
                "ses_outage_seconds": self.config.ses_outage_seconds,
                "send_email_refused": self.outages["ses"][0].refused,
                "bouncing_orders": sum(o.bounces for o in final.orders),
                "emails_failed": sum(
                    e.status == "failed" for o in final.orders for e in o.ledger.values()
                ),
                "emails_sent_after_stale_claim": sum(
                    e.attempts > 1 for o in final.orders for e in o.ledger.values()
                ),
            },
            DURATIONS_SECTION: self.timer.to_json(),
            "dlq": {
                "before_redrive": dict(self.evidence[0].dlq),
                "redriven": self.redriven,
                "after_redrive": dict(final.dlq) if len(self.evidence) > 1 else None,
            },
            "invariants": {
                "first_pass": [r.to_json() for r in self.invariants[0]],
                "after_redrive": (
                    [r.to_json() for r in self.invariants[1]] if len(self.invariants) > 1 else None
                ),
            },
            "baseline": bare,
            "overhead": (
                {"throughput_ratio": round(ours / bare["throughput_per_second"], 3)}
                if bare and bare.get("throughput_per_second")
                else None
            ),
            "orders_of_note": self._orders_of_note(final),
            "ok": all(r.ok for r in self.invariants[-1]),
        }

    def _orders_of_note(self, evidence: Evidence) -> list[dict[str, Any]]:
        """Timelines of the orders an invariant names, or whose client broke (for a reader
        of the JSON who wants to know what happened)."""
        watch = self.watch
        assert watch is not None, "not run"
        named = " ".join(p for r in self.invariants[-1] for p in r.problems)
        by_id: dict[str, OrderEvidence] = {o.order_id: o for o in evidence.orders}
        noted = []
        for journey in self.journeys:
            order = by_id.get(journey.order_id)
            if not (journey.error or journey.place_error or (order and order.order_id in named)):
                continue
            noted.append(
                {
                    "order_id": journey.order_id,
                    "intended": journey.intended,
                    "answer": journey.answer.value if journey.answer else None,
                    "error": journey.error or journey.place_error or None,
                    "placed_at": _iso(journey.placed_at),
                    "decided_at": _iso(journey.decided_at),
                    "messages": [
                        {"kind": kind, "seen_at": _iso(item.seen_at)}
                        for kind, items in watch.by_kind(journey.order_id).items()
                        for item in items
                    ]
                    if journey.order_id
                    else [],
                    "final_state": order.final_state if order else None,
                    "token": asdict(order.token) if order and order.token else None,
                }
            )
            if len(noted) >= DETAILS_SHOWN:
                break
        return noted


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None


def run(
    config: BenchConfig,
    *,
    command: str = "shop bench",
    progress: TextIO | None = None,
    out: TextIO | None = None,
) -> dict[str, Any]:
    """Run the bench, write the JSON and the chart; returns the figures (``ok`` is whether
    every invariant held at the end)."""
    bench = BenchRun(config, command=command, progress=progress)
    figures = bench.execute()
    if config.chart_path is not None:
        title = (
            f"{config.orders} orders, fail rate {config.fail_rate}, duplicate rate "
            f"{config.duplicate_rate}, {config.concurrency} clients"
        )
        # The watch keeps its index after the stack stopped.
        if not report.draw_chart(bench.latencies(), title, config.chart_path):
            figures["chart"] = "not drawn: matplotlib is missing (pip install -e '.[bench]')"
    if config.json_path is not None:
        report.write_json(figures, config.json_path)
    if out is not None:
        report.print_report(figures, out)
    return figures


def quiet_logs(*, verbose: bool, json_logs: bool) -> None:
    """One line per handler invocation would bury the progress bar: errors only."""
    if not verbose:
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    configure(json_logs=json_logs, verbose=verbose)
    if not verbose:
        logging.getLogger("shop").setLevel(logging.ERROR)


def main(
    config: BenchConfig, *, command: str, verbose: bool = False, json_logs: bool = False
) -> int:
    quiet_logs(verbose=verbose, json_logs=json_logs)
    figures = run(config, command=command, progress=sys.stderr, out=sys.stdout)
    if config.json_path is not None:
        print(f"figures: {config.json_path}")
    if config.chart_path is not None:
        print(figures.get("chart", f"latency chart: {config.chart_path}"))
    return 0 if figures["ok"] else 1
