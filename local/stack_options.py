"""The options of every ``shop`` verb that talks to a running local stack's AWS.

Spelt one way across the verbs (``--moto-url``, with the aws CLI's ``--endpoint-url`` as a
synonym, and ``--prefix``) and defaulting from the same ``SHOP_LOCAL_*`` settings that
``shop local`` reads, so a stack started on other ports or another prefix is found the same
way by all of them. ``--url`` is the HTTP gateway, for the verbs that talk to it. The
settings are read once per command line, by ``build_parser``, and handed to each verb.
"""

from __future__ import annotations

import argparse

from local.settings import LocalStackSettings


def add_moto_url(parser: argparse.ArgumentParser, settings: LocalStackSettings) -> None:
    default = f"http://{settings.host}:{settings.moto_port}"
    parser.add_argument(
        "--moto-url",
        "--endpoint-url",
        dest="moto_url",
        default=default,
        help=f"the stack's moto endpoint (default {default})",
    )


def add_gateway_url(parser: argparse.ArgumentParser, settings: LocalStackSettings) -> None:
    default = f"http://{settings.host}:{settings.port}"
    parser.add_argument(
        "--url", default=default, help=f"the stack's HTTP gateway (default {default})"
    )


def add_stack_options(parser: argparse.ArgumentParser, settings: LocalStackSettings) -> None:
    """``--moto-url`` and ``--prefix``: which stack, for verbs that name its resources."""
    add_moto_url(parser, settings)
    default = settings.prefix
    parser.add_argument(
        "--prefix", default=default, help=f"the stack's resource prefix (default {default})"
    )
