"""The orders service's catalogue on a local stack: the sample it starts with, and
``shop catalogue list|put`` against a running stack's moto endpoint (as ``aws
--endpoint-url`` would reach it).

Entries go through the service's own adapter and model, so a put from here is checked
exactly as the service reads it: a price in JPY with decimals, an unknown currency or a name
with control characters is refused with the model's message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from local.loopback import is_loopback
from local.provision import LocalNames
from local.settings import LocalStackSettings
from local.stack_options import add_stack_options
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.domain.catalogue import CatalogueEntry
from services.orders.wiring import WIRING

SAMPLE_FILE = Path(__file__).with_name("sample_catalogue.json")
TABLE = "catalogue"


def sample_entries() -> list[CatalogueEntry]:
    entries = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    return [CatalogueEntry.model_validate(entry) for entry in entries]


def seed(catalogue: DynamoCatalogue) -> int:
    """Put the sample catalogue; returns how many entries."""
    entries = sample_entries()
    for entry in entries:
        catalogue.put(entry)
    return len(entries)


def table_name(prefix: str) -> str:
    assert any(t.name == TABLE for t in WIRING.tables), "the orders wiring declares the table"
    return LocalNames(prefix=prefix).physical(WIRING.name, TABLE)


def local_catalogue(endpoint_url: str, prefix: str, region: str = "us-east-1") -> DynamoCatalogue:
    """The catalogue of a running local stack (loopback only, dummy credentials: never a real
    account, whatever the environment holds). A resource, not ``local_client``'s client: the
    service's adapter reads through the resource API."""
    if not is_loopback(endpoint_url):
        raise ValueError(
            f"shop catalogue talks only to a local stack on this machine, not {endpoint_url}"
        )
    import boto3  # noqa: PLC0415 - the `shop` command line imports this module for its parser

    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto accepts any; never a real key
    )
    return DynamoCatalogue(dynamodb, table_name(prefix))


def add_parser(commands: Any, settings: LocalStackSettings) -> None:
    """Register ``shop catalogue list|put`` on the ``shop`` command line's subparsers."""
    catalogue = commands.add_parser("catalogue", help="what the local shop sells: list or put")
    actions = catalogue.add_subparsers(dest="catalogue_command", required=True)
    listing = actions.add_parser("list", help="every entry, active or not")
    put = actions.add_parser("put", help="add or replace an entry")
    put.add_argument("sku")
    put.add_argument("--name", required=True)
    put.add_argument("--price", required=True, help="unit price, e.g. 12.50 (JPY: no decimals)")
    put.add_argument("--currency", required=True, help="ISO 4217 code, e.g. EUR")
    put.add_argument("--inactive", action="store_true", help="listed but not for sale")
    for sub in (listing, put):
        add_stack_options(sub, settings)


def command(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

    try:
        catalogue = local_catalogue(args.moto_url, args.prefix)
        if args.catalogue_command == "list":
            for entry in catalogue.list():
                state = "" if entry.active else "  (inactive)"
                print(
                    f"{entry.sku:<16} {entry.unit_price:>12} {entry.currency}  {entry.name}{state}"
                )
            return 0
        entry = CatalogueEntry(
            sku=args.sku,
            name=args.name,
            unit_price=args.price,
            currency=args.currency,
            active=not args.inactive,
        )
        catalogue.put(entry)
        print(f"put {entry.sku}: {entry.name}, {entry.unit_price} {entry.currency}")
        return 0
    except ValidationError as error:
        for problem in error.errors(include_url=False):
            print(f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"no local stack's catalogue at {args.moto_url}: {error}", file=sys.stderr)
        return 1
