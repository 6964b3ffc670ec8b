"""``shop keys rotate``: a new link-signing key for a running local stack's approvals.

Putting a new secret value is the rotation: Secrets Manager (and moto) stage it
``AWSCURRENT`` and move the old one to ``AWSPREVIOUS``, so links signed with it keep working
while new links get the new key. In AWS the same is one ``aws secretsmanager
put-secret-value`` (docs/operations.md). The key itself is never printed.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import Any

from local.loopback import local_client
from local.settings import DEFAULT_MOTO_URL, DEFAULT_REGION, LocalStackSettings
from local.stack_options import add_stack_options

SIGNING_KEY = "signing-key"
KEY_BYTES = 32  # hex-encoded: 64 characters, as the stack generates at start-up


def client(endpoint_url: str = DEFAULT_MOTO_URL, region: str = DEFAULT_REGION) -> Any:
    """A Secrets Manager client for the local stack's moto endpoint (loopback only)."""
    return local_client("secretsmanager", endpoint_url, command="keys", region=region)


def signing_key_secret(prefix: str) -> str:
    from local.provision import LocalNames  # noqa: PLC0415 - it loads boto3
    from services.approvals.wiring import WIRING as APPROVALS  # noqa: PLC0415

    return LocalNames(prefix=prefix).physical(APPROVALS.name, SIGNING_KEY)


def rotate(secretsmanager: Any, secret_id: str) -> tuple[str, str | None]:
    """Stage a fresh random key as current; returns the new and the previous version ids."""
    before = secretsmanager.get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")
    after = secretsmanager.put_secret_value(
        SecretId=secret_id, SecretString=secrets.token_hex(KEY_BYTES)
    )
    return str(after["VersionId"]), str(before["VersionId"])


def add_parser(commands: Any, settings: LocalStackSettings) -> None:
    """Register ``shop keys rotate`` on the ``shop`` command line's subparsers."""
    keys = commands.add_parser("keys", help="the approval links' signing key: rotate it")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    rotate_cmd = actions.add_parser(
        "rotate", help="sign new links with a new key; open links keep working"
    )
    add_stack_options(rotate_cmd, settings)


def command(args: argparse.Namespace) -> int:
    from botocore.exceptions import ClientError, EndpointConnectionError  # noqa: PLC0415

    secret_id = signing_key_secret(args.prefix)
    try:
        new, previous = rotate(client(args.moto_url), secret_id)
    except ValueError as error:
        print(f"shop keys: {error}", file=sys.stderr)
        return 2
    except EndpointConnectionError:
        print(f"shop keys: no local stack answered at {args.moto_url}", file=sys.stderr)
        return 1
    except ClientError as error:
        print(f"shop keys: {secret_id}: {error.response['Error']['Code']}", file=sys.stderr)
        return 1
    print(f"{secret_id}: new links are signed with key {new}; links of key {previous} still work")
    return 0
