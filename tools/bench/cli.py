"""``shop bench``'s arguments, and the call into the runner (kept light: the command line
imports this for its parser; the stack and moto load only when a bench runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tools.bench.config import BenchConfig, Mix


def _mix(text: str) -> Mix:
    try:
        return Mix.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_parser(commands: Any) -> None:
    """Register ``shop bench`` on the ``shop`` command line's subparsers."""
    defaults = BenchConfig()
    bench = commands.add_parser(
        "bench", help="many orders with injected faults on a fresh local stack, measured"
    )
    bench.add_argument(
        "--orders", type=int, default=defaults.orders, help="how many orders (default %(default)s)"
    )
    bench.add_argument(
        "--fail-rate", type=float, default=0.0, help="chance that a handler run fails (0..1)"
    )
    bench.add_argument(
        "--duplicate-rate",
        type=float,
        default=0.0,
        help="chance that a bus event is delivered twice (0..1)",
    )
    bench.add_argument(
        "--bus-outage",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the bus refuses PutEvents for this long, 5 s into the run",
    )
    bench.add_argument(
        "--ses-outage",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="SES refuses SendEmail for this long, 5 s into the run",
    )
    bench.add_argument(
        "--bounce-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="share of orders placed with SES's always-bouncing simulator address (0..1)",
    )
    bench.add_argument(
        "--mix",
        type=_mix,
        default=Mix(),
        help="shares of the owner's answers, approve:reject:timeout (default 8:1:1)",
    )
    bench.add_argument(
        "--concurrency",
        type=int,
        default=defaults.concurrency,
        help="concurrent clients (default %(default)s)",
    )
    bench.add_argument(
        "--seed", type=int, default=defaults.seed, help="seed of the faults and the mix"
    )
    bench.add_argument(
        "--approval-window",
        type=int,
        default=defaults.approval_window_seconds,
        help="approval window in seconds (default %(default)s)",
    )
    bench.add_argument(
        "--feedback-delay",
        type=int,
        default=defaults.feedback_delay_seconds,
        help="feedback delay in seconds (default %(default)s)",
    )
    bench.add_argument(
        "--visibility-timeout",
        type=int,
        default=defaults.visibility_timeout_seconds,
        help="seconds before a failed message comes back (default %(default)s)",
    )
    bench.add_argument(
        "--json",
        default="",
        metavar="PATH",
        help="write the figures there (e.g. docs/bench/latest.json); none by default",
    )
    bench.add_argument(
        "--chart",
        default="",
        metavar="PATH",
        help="draw the latency chart there (e.g. docs/bench/latency.png); none by default",
    )
    bench.add_argument(
        "--no-redrive",
        dest="redrive",
        action="store_false",
        help="leave the DLQs alone (default: redrive once and check again)",
    )
    bench.add_argument(
        "--no-baseline", dest="baseline", action="store_false", help="skip the bare baseline"
    )
    bench.add_argument(
        "--max-seconds",
        type=float,
        default=defaults.max_seconds,
        help="give up waiting after this long (default %(default)s)",
    )
    bench.add_argument("--json-logs", action="store_true", help="log JSON lines")
    bench.add_argument("--verbose", action="store_true", help="log every handler invocation")


def command(args: argparse.Namespace, argv: list[str]) -> int:
    try:
        config = BenchConfig(
            orders=args.orders,
            fail_rate=args.fail_rate,
            duplicate_rate=args.duplicate_rate,
            bus_outage_seconds=args.bus_outage,
            ses_outage_seconds=args.ses_outage,
            bounce_rate=args.bounce_rate,
            mix=args.mix,
            concurrency=args.concurrency,
            seed=args.seed,
            approval_window_seconds=args.approval_window,
            feedback_delay_seconds=args.feedback_delay,
            visibility_timeout_seconds=args.visibility_timeout,
            redrive=args.redrive,
            baseline=args.baseline,
            json_path=Path(args.json) if args.json else None,
            chart_path=Path(args.chart) if args.chart else None,
            max_seconds=args.max_seconds,
        )
    except ValueError as error:
        print(f"shop bench: {error}", file=sys.stderr)
        return 2
    from tools.bench import runner  # noqa: PLC0415 - loads the stack and moto

    return runner.main(
        config,
        command=" ".join(["shop", *argv]),
        verbose=args.verbose,
        json_logs=args.json_logs,
    )
