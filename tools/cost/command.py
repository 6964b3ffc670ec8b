"""``shop cost``'s arguments and entry point; the model itself loads only when it runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from tools.cost.durations import DEFAULT_BENCH_FILE

DEFAULT_MIX = "8:1:1"
DEFAULT_PRICE_FILE = Path(__file__).with_name("prices.json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders-per-month", type=int, required=True, metavar="N")
    parser.add_argument(
        "--mix",
        default=DEFAULT_MIX,
        metavar="A:R:T",
        help=f"approve:reject:timeout shares of orders (default {DEFAULT_MIX})",
    )
    parser.add_argument(
        "--prices",
        type=Path,
        default=DEFAULT_PRICE_FILE,
        help="price list (JSON) to use (default: tools/cost/prices.json)",
    )
    parser.add_argument(
        "--durations",
        "--bench",
        dest="bench",
        type=Path,
        default=DEFAULT_BENCH_FILE,
        metavar="FILE",
        help="a bench JSON (shop bench --json FILE) with measured handler durations, used "
        "when present (default: docs/bench/latest.json, its command says which run)",
    )
    parser.add_argument(
        "--details", action="store_true", help="also show each function's share per outcome"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from tools.cost.report import run_report  # noqa: PLC0415 - the model is heavier to load

    return run_report(args, out)
