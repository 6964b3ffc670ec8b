"""``shop events tail|sample``: watch the bus of a running local stack, or get an example event.

``sample`` prints one of the published example events (``events/examples/``) as EventBridge
delivers it to a rule's target, envelope and detail, ready to paste into a subscriber's test.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from events.models import EVENTS_BY_DETAIL_TYPE
from local import tail
from local.loopback import local_client
from local.paths import EVENT_EXAMPLES_DIR
from local.settings import LocalStackSettings
from local.stack_options import add_moto_url

DEFAULT_BUS = "shop"
EXAMPLES_DIR = EVENT_EXAMPLES_DIR
PREFERRED_EXAMPLE = "full"


class SampleError(LookupError):
    """No published example for what was asked; the message says what there is."""


def published_samples(detail_type: str, examples_dir: Path = EXAMPLES_DIR) -> dict[int, list[Path]]:
    """The example files of an event, by version."""
    found: dict[int, list[Path]] = {}
    for path in sorted(examples_dir.glob(f"{detail_type}.v*.json")):
        version = path.name.split(".")[1].removeprefix("v")
        if version.isdigit():
            found.setdefault(int(version), []).append(path)
    return found


def sample(
    detail_type: str,
    version: int | None = None,
    name: str | None = None,
    examples_dir: Path = EXAMPLES_DIR,
) -> dict[str, Any]:
    """A published example of ``detail_type`` (by default at the version its model emits)."""
    model = EVENTS_BY_DETAIL_TYPE.get(detail_type)
    if model is None:
        known = ", ".join(EVENTS_BY_DETAIL_TYPE)
        raise SampleError(f"no event called {detail_type!r}; the events are {known}")
    version = version or model.version
    by_version = published_samples(detail_type, examples_dir)
    if version not in by_version:
        listed = ", ".join(f"v{v}" for v in sorted(by_version)) or "none"
        raise SampleError(
            f"{detail_type} v{version} has no published example (published: {listed})"
        )
    candidates = {p.name.split(".")[2]: p for p in by_version[version]}
    wanted = name or (PREFERRED_EXAMPLE if PREFERRED_EXAMPLE in candidates else min(candidates))
    if wanted not in candidates:
        raise SampleError(
            f"{detail_type} v{version} has no example {wanted!r} "
            f"(there are: {', '.join(sorted(candidates))})"
        )
    event: dict[str, Any] = json.loads(candidates[wanted].read_text(encoding="utf-8"))
    return event


def add_parser(commands: Any, settings: LocalStackSettings) -> None:
    """Register ``shop events tail|sample`` on the ``shop`` command line's subparsers."""
    parser = commands.add_parser("events", help="watch the bus live, or print an example event")
    actions = parser.add_subparsers(dest="events_command", required=True)
    tail_parser = actions.add_parser(
        "tail", help="print events as they cross a running local stack's bus, until Ctrl-C"
    )
    tail_parser.add_argument(
        "--type",
        dest="types",
        action="append",
        choices=sorted(EVENTS_BY_DETAIL_TYPE),
        metavar="TYPE",
        help="only this detail-type (repeat for several)",
    )
    tail_parser.add_argument("--order", help="only this order's events")
    tail_parser.add_argument(
        "--json", action="store_true", help="print each whole event (envelope and detail)"
    )
    add_moto_url(tail_parser, settings)
    tail_parser.add_argument("--bus", default=DEFAULT_BUS, help=f"(default {DEFAULT_BUS})")
    sample_parser = actions.add_parser(
        "sample", help="print a published example event, as a rule delivers it"
    )
    sample_parser.add_argument("type", metavar="TYPE", help=", ".join(EVENTS_BY_DETAIL_TYPE))
    sample_parser.add_argument(
        "--version", type=int, help="schema version (default: the one emitted now)"
    )
    sample_parser.add_argument(
        "--example", help=f"which example (default {PREFERRED_EXAMPLE!r} when there is one)"
    )


def command(args: argparse.Namespace) -> int:
    if args.events_command == "sample":
        try:
            event = sample(args.type, args.version, args.example)
        except SampleError as error:
            print(f"shop events sample: {error}", file=sys.stderr)
            return 2
        print(json.dumps(event, indent=2, ensure_ascii=False))
        return 0
    return _tail(args)


def _tail(args: argparse.Namespace) -> int:
    from botocore.exceptions import EndpointConnectionError  # noqa: PLC0415

    tail_filter = tail.TailFilter(tuple(args.types or ()), args.order)
    try:
        events = local_client("events", args.moto_url, command="shop events tail")
        sqs = local_client("sqs", args.moto_url, command="shop events tail")
    except ValueError as error:
        print(f"shop events tail: {error}", file=sys.stderr)
        return 2
    try:
        events.describe_event_bus(Name=args.bus)
    except EndpointConnectionError:
        print(f"shop events tail: no local stack answered at {args.moto_url}", file=sys.stderr)
        return 1
    except events.exceptions.ResourceNotFoundException:
        print(f"shop events tail: no bus {args.bus!r} at {args.moto_url}", file=sys.stderr)
        return 1
    # Ctrl-C and SIGTERM end the loop between polls, so the rule and queue are always deleted.
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def ready(_: tail.Listener) -> None:
        print(tail.describe(tail_filter, args.bus, args.moto_url), file=sys.stderr, flush=True)

    tail.run(
        events,
        sqs,
        args.bus,
        tail_filter,
        lambda text: print(text, flush=True),
        as_json=args.json,
        stop=stop,
        on_ready=ready,
    )
    print("stopped; the tail's rule and queue are deleted", file=sys.stderr)
    return 0
