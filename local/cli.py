"""The ``shop`` command line: run the local stack, the demo, and poke at a running stack."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from pydantic import ValidationError

from local import catalogue, customers_cli, dlq, events_command, http_client, keys
from local.customers import DEMO_EMAIL, DEMO_NAME, DEMO_PASSWORD, CustomerError, bearer
from local.logs import configure
from local.settings import (
    DEFAULT_MOTO_PORT,
    DEFAULT_PORT,
    LocalStackSettings,
)
from local.stack_options import add_gateway_url, add_moto_url
from local.timeline import timeline_lines
from tools import coldstart
from tools.bench import cli as bench_cli
from tools.cost import command as cost

SAMPLE_ORDER = ("shoes:5", "socks:2")
SAMPLE_HELP = f"one per line (default {' '.join(SAMPLE_ORDER)}); SKUs: `shop catalogue list`"


def _item(text: str) -> dict[str, Any]:
    """SKU:QUANTITY, e.g. shoes:5 (names and prices come from the shop's catalogue)"""
    try:
        sku, quantity = text.rsplit(":", 1)
        return {"sku": sku, "quantity": int(quantity)}
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not SKU:QUANTITY (e.g. shoes:5)") from None


def build_parser() -> argparse.ArgumentParser:
    settings = LocalStackSettings()  # the defaults of every verb that finds a running stack
    parser = argparse.ArgumentParser(prog="shop", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    local = commands.add_parser("local", help="run the whole shop on this machine until Ctrl-C")
    # Unset options leave the settings to SHOP_LOCAL_PORT / SHOP_LOCAL_MOTO_PORT, then defaults.
    local.add_argument(
        "--port", type=int, help=f"HTTP gateway port (0: any free; default {DEFAULT_PORT})"
    )
    local.add_argument(
        "--moto-port", type=int, help=f"moto port (0: any free; default {DEFAULT_MOTO_PORT})"
    )
    local.add_argument(
        "--with-example-subscriber",
        action="store_true",
        default=None,
        help="also run examples/subscriber (loyalty points) on the local bus",
    )
    demo = commands.add_parser("demo", help="four orders, four endings, then exit")
    for sub in (local, demo):
        sub.add_argument("--json-logs", action="store_true", help="log JSON lines")
        sub.add_argument("--verbose", action="store_true", help="also show the handlers' logs")

    orders = commands.add_parser(
        "orders", help="sign in, then place, list, read or cancel orders on a running stack"
    )
    order_commands = orders.add_subparsers(dest="order_command", required=True)
    place = order_commands.add_parser("place", help="place an order")
    place.add_argument(
        "--item", type=_item, action="append", dest="items", metavar="SKU:QTY", help=SAMPLE_HELP
    )
    place.add_argument("--idempotency-key")
    get = order_commands.add_parser("get", help="show one of the customer's orders")
    get.add_argument("order_id")
    listing = order_commands.add_parser("list", help="the customer's orders, newest first")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--next-token")
    timeline = order_commands.add_parser(
        "timeline", help="each step of one of the customer's orders, with its time"
    )
    timeline.add_argument("order_id")
    timeline.add_argument("--json", action="store_true", help="the API's JSON answer")
    cancel = order_commands.add_parser(
        "cancel", help="cancel one of the customer's orders (until the owner decides)"
    )
    cancel.add_argument("order_id")
    for sub in (place, get, listing, timeline, cancel):
        sub.add_argument("--email", default=DEMO_EMAIL, help=f"who signs in (default {DEMO_EMAIL})")
        customers_cli.add_password(sub)
        add_moto_url(sub, settings)
    outbox = commands.add_parser("outbox", help="emails and owner messages, newest first")
    outbox.add_argument("--limit", type=int, default=10)
    for sub in (place, get, listing, timeline, cancel, outbox):
        add_gateway_url(sub, settings)
    customers_cli.add_parser(commands, settings)
    bench_cli.add_parser(commands)
    dlq.add_parser(commands, settings)
    events_command.add_parser(commands, settings)
    cost.add_arguments(
        commands.add_parser("cost", help="AWS cost per order and per month, ours vs all-Lambda")
    )
    coldstart.add_arguments(
        commands.add_parser("coldstart", help="import time of each handler in fresh processes")
    )
    keys.add_parser(commands, settings)
    catalogue.add_parser(commands, settings)
    return parser


def local_settings(args: argparse.Namespace) -> LocalStackSettings:
    """``shop local``'s settings: an option given wins, else SHOP_LOCAL_*, else the default."""
    given = {
        "port": args.port,
        "moto_port": args.moto_port,
        "example_subscriber": args.with_example_subscriber,
    }
    return LocalStackSettings(**{name: value for name, value in given.items() if value is not None})


def _run_local(args: argparse.Namespace) -> int:
    from local.server import LocalServer  # noqa: PLC0415 - moto loads only for commands that need it

    configure(json_logs=args.json_logs, verbose=args.verbose)
    settings = local_settings(args)
    stopped = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with LocalServer(settings) as server:
        assert server.stack is not None
        server.stack.customers().ensure(DEMO_EMAIL, DEMO_NAME, DEMO_PASSWORD)
        print("shop local stack is up:")
        for name, url in server.urls().items():
            print(f"  {name:<36} {url}")
        print(
            f"  demo customer {DEMO_EMAIL} (password {DEMO_PASSWORD}, email verified);\n"
            f"  their id token: shop customers token {DEMO_EMAIL}\n"
            f"  more customers: shop customers add EMAIL --name NAME\n"
            f"  approval window {server.setting('approval_window_seconds')} s, "
            f"feedback delay {server.setting('feedback_delay_seconds')} s. Ctrl-C stops."
        )
        sys.stdout.flush()
        stopped.wait()
        print("\nstopping...")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from local import demo  # noqa: PLC0415
    from local.server import LocalServer  # noqa: PLC0415

    configure(json_logs=args.json_logs, verbose=args.verbose)
    settings = LocalStackSettings(
        prefix="shop-demo",
        port=0,
        moto_port=0,
        # Long enough for the unanswered order's two reminders and escalation to show.
        approval_window_seconds=10,
        feedback_delay_seconds=3,
    )
    with LocalServer(settings) as server:
        print(f"local stack up at {server.url} (mailbox: {server.url}/mailbox)")
        return 0 if demo.run(server, sys.stdout) else 1


def _orders(args: argparse.Namespace) -> int:
    try:
        auth = bearer(customers_cli.id_token(args.moto_url, args.email, args.password))
    except CustomerError as error:
        print(f"could not sign in as {args.email}: {error}", file=sys.stderr)
        return 1
    if args.order_command == "place":
        items = args.items or [_item(line) for line in SAMPLE_ORDER]
        payload = {"items": items}
        headers = {"idempotency-key": args.idempotency_key} if args.idempotency_key else {}
        response = http_client.post_json(f"{args.url}/orders", payload, headers | auth)
    elif args.order_command == "list":
        query = urlencode(
            {"limit": args.limit} | ({"next_token": args.next_token} if args.next_token else {})
        )
        response = http_client.send("GET", f"{args.url}/orders?{query}", auth)
    elif args.order_command == "timeline":
        path = f"{args.url}/orders/{quote(args.order_id)}/timeline"
        response = http_client.send("GET", path, auth)
        if response.status == 200 and not args.json:
            print("\n".join(timeline_lines(response.json())))
            return 0
    elif args.order_command == "cancel":
        url = f"{args.url}/orders/{quote(args.order_id)}/cancel"
        response = http_client.send("POST", url, auth)
    else:
        response = http_client.send("GET", f"{args.url}/orders/{quote(args.order_id)}", auth)
    print(json.dumps(response.json(), indent=2) if response.body else response.status)
    return 0 if response.status < 400 else 1


def _outbox(args: argparse.Namespace) -> int:
    response = http_client.send("GET", f"{args.url}/mailbox.json")
    if response.status != 200:
        print(f"no local stack answered at {args.url}: HTTP {response.status}", file=sys.stderr)
        return 1
    for item in response.json()[: args.limit]:
        who = "owner" if item["kind"] == "owner" else ", ".join(item["to"])
        print(f"{item['seen_at'][11:19]}  {item['kind']:<5}  to {who}\n  {item['subject']}")
        if item["kind"] == "owner":
            print("  " + item["text"].replace("\n", "\n  "))
    return 0


def _parser_or_explain() -> argparse.ArgumentParser | None:
    """The parser, or ``None`` after saying which ``SHOP_LOCAL_*`` variable its defaults refuse."""
    try:
        return build_parser()
    except ValidationError as error:
        for problem in error.errors():
            variable = "SHOP_LOCAL_" + "_".join(str(part) for part in problem["loc"]).upper()
            print(f"shop: {variable}={problem['input']!r}: {problem['msg']}", file=sys.stderr)
        return None


# What each verb of ``build_parser`` runs, given its parsed arguments and the raw ones.
COMMANDS: dict[str, Callable[[argparse.Namespace, list[str]], int]] = {
    "catalogue": lambda args, _: catalogue.command(args),
    "bench": bench_cli.command,
    "dlq": lambda args, _: dlq.command(args),
    "cost": lambda args, _: cost.run(args, sys.stdout),
    "coldstart": lambda args, _: coldstart.run(args, sys.stdout),
    "keys": lambda args, _: keys.command(args),
    "events": lambda args, _: events_command.command(args),
    "local": lambda args, _: _run_local(args),
    "demo": lambda args, _: _run_demo(args),
    "orders": lambda args, _: _orders(args),
    "customers": lambda args, _: customers_cli.command(args),
    "outbox": lambda args, _: _outbox(args),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser_or_explain()
    if parser is None:
        return 2
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args, argv)
    except OSError as error:  # connection refused, reset, timed out
        print(f"could not reach the local stack: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
