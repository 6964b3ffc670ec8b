"""``shop customers add|token`` and the sign-in behind ``shop orders``: customers of a running
local stack, found on its moto endpoint by the user pool's name (as a storefront's config
would name it)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from local.customers import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    CustomerDirectory,
    CustomerError,
    name_from_email,
    new_password,
)
from local.loopback import local_client
from local.provision import LocalNames
from local.settings import LocalStackSettings
from local.stack_options import add_moto_url
from services.common.wiring import HttpApiTrigger
from services.orders.wiring import WIRING as ORDERS

PASSWORD_ENV = "SHOP_CUSTOMER_PASSWORD"  # noqa: S105 - the variable's name, not a password


def add_password(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password",
        help=f"the customer's password (default: ${PASSWORD_ENV}, the demo customer's, or "
        "asked for)",
    )


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], settings: LocalStackSettings
) -> None:
    customers = commands.add_parser("customers", help="customers of a running local stack")
    verbs = customers.add_subparsers(dest="customer_command", required=True)
    add = verbs.add_parser("add", help="create a customer whose email is verified")
    add.add_argument("email")
    add.add_argument("--name", help="display name (default: from the email address)")
    add.add_argument("--password", help="their password (default: a new one, printed once)")
    token = verbs.add_parser("token", help="sign in and print the customer's id token")
    token.add_argument("email")
    add_password(token)
    for verb in (add, token):
        add_moto_url(verb, settings)


def directory(moto_url: str) -> CustomerDirectory:
    """The customers' pool and the storefront client on the moto at ``moto_url``."""
    settings = LocalStackSettings()
    try:
        cognito = local_client(
            "cognito-idp", moto_url, command="shop customers", region=settings.region
        )
    except ValueError as error:  # not this machine's moto
        raise CustomerError(str(error)) from None
    authorizer = next(
        f.trigger.authorizer
        for f in ORDERS.functions
        if isinstance(f.trigger, HttpApiTrigger) and f.trigger.authorizer
    )
    pool_name = LocalNames(prefix=settings.prefix).physical(ORDERS.name, authorizer.user_pool)
    return CustomerDirectory.find(cognito, pool_name, authorizer.client)


def password_for(email: str, given: str | None) -> str:
    if given:
        return given
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if email == DEMO_EMAIL:
        return DEMO_PASSWORD
    if sys.stdin.isatty():
        return getpass.getpass(f"password for {email}: ")
    raise CustomerError(f"no password for {email}: give --password or set {PASSWORD_ENV}")


def id_token(moto_url: str, email: str, password: str | None) -> str:
    return directory(moto_url).id_token(email, password_for(email, password))


def command(args: argparse.Namespace) -> int:
    try:
        if args.customer_command == "add":
            password = args.password or new_password()
            name = args.name or name_from_email(args.email)
            customer_id = directory(args.moto_url).add(args.email, name, password)
            print(f"created {args.email} ({name}), customer id {customer_id}")
            if not args.password:
                print(f"password (shown once): {password}")
        else:
            print(id_token(args.moto_url, args.email, args.password))
    except CustomerError as error:
        print(f"shop customers: {error}", file=sys.stderr)
        return 1
    return 0
