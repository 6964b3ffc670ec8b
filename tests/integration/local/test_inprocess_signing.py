"""Requests the in-process transport answers carry botocore's Authorization header with an
uncomputed signature while moto checks none; every other request is signed as before."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from moto import settings

from local import inprocess_signing
from local.inprocess import TRANSPORT
from local.inprocess_signing import UNCOMPUTED_SIGNATURE, SigningChangedError
from local.moto_server import MotoServer

REGION = "us-east-1"
HEADER = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=local/\d{8}/us-east-1/sqs/aws4_request, "
    r"SignedHeaders=[a-z0-9;-]+, Signature=(?P<signature>[0-9a-f]{64})$"
)


def signature_of_a_call(server: MotoServer) -> str:
    """The signature botocore put on a ``ListQueues`` request to ``server``."""
    sqs: Any = boto3.client(
        "sqs",
        region_name=REGION,
        endpoint_url=server.url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    seen: list[str] = []

    def record(request: Any, **_: Any) -> None:
        seen.append(request.headers["Authorization"].decode())
        assert request.headers["X-Amz-Date"]

    sqs.meta.events.register_first("before-send", record)
    sqs.list_queues()
    match = HEADER.match(seen[0])
    assert match, seen[0]
    return match["signature"]


def test_a_request_answered_in_process_is_not_signed(server: MotoServer) -> None:
    before = TRANSPORT.answered
    assert signature_of_a_call(server) == UNCOMPUTED_SIGNATURE
    assert TRANSPORT.answered == before + 1


def test_a_request_over_http_is_signed(server: MotoServer) -> None:
    TRANSPORT.release(server.port)
    try:
        assert signature_of_a_call(server) != UNCOMPUTED_SIGNATURE
    finally:
        TRANSPORT.serve(server.port)


def test_requests_are_signed_while_moto_checks_signatures(
    server: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Checking from the billionth request on: this one is signed, and not yet refused.
    monkeypatch.setattr(settings, "INITIAL_NO_AUTH_ACTION_COUNT", 10**9)
    assert signature_of_a_call(server) != UNCOMPUTED_SIGNATURE


def test_a_botocore_that_signs_otherwise_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_signing(self: SigV4Auth, request: Any) -> None:  # a botocore with a new flow
        return None

    monkeypatch.setattr(SigV4Auth, "add_auth", other_signing)
    monkeypatch.setattr(inprocess_signing, "_ORIGINAL", other_signing)
    with pytest.raises(SigningChangedError, match="no longer does"):
        inprocess_signing.install(lambda url: True)
