"""AWS clients for a running local stack's moto endpoint, on this machine only.

The ``shop`` commands that poke at a running stack (``dlq``, ``events``) refuse any endpoint
that is not loopback and use fixed dummy credentials, so they can never reach a real account
whatever the environment holds.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from local.settings import DEFAULT_REGION


def is_loopback(endpoint_url: str) -> bool:
    host = urlsplit(endpoint_url).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def local_client(
    service: str, endpoint_url: str, *, command: str, region: str = DEFAULT_REGION
) -> Any:
    """A boto3 client of ``endpoint_url``; ``ValueError`` naming ``command`` if not loopback."""
    if not is_loopback(endpoint_url):
        raise ValueError(
            f"{command} talks only to a local stack on this machine, not {endpoint_url}"
        )
    import boto3  # noqa: PLC0415 - the `shop` command line imports its commands for their parsers

    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto accepts any; never a real key
    )
