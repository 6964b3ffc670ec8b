"""The local stack as a user runs it: moto in server mode, real HTTP on free ports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local import http_client
from local.http_events import HttpResponse
from local.lambda_runtime import LocalFunction
from local.server import LocalServer
from local.settings import LocalStackSettings
from tests.support.customers import signed_in
from tests.support.polling import wait_until
from tests.support.schemas import assert_matches_schema

# A malformed OrderPlaced the tests put on the bus themselves; not a producer's event.
POISON_DETAIL: dict[str, Any] = {"metadata": {"event_version": 1}, "data": {"order_id": "x"}}


class FaultPlan:
    """Makes chosen invocations fail before the handler runs, as a crashed Lambda would."""

    def __init__(self) -> None:
        self.failures: dict[tuple[str, str], int] = {}
        self.invocations: dict[tuple[str, str], int] = {}

    def fail(self, function: str, marker: str, times: int) -> None:
        self.failures[(function, marker)] = times

    def __call__(self, function: LocalFunction, event: dict[str, Any]) -> None:
        text = json.dumps(event)
        for (name, marker), left in list(self.failures.items()):
            if name == function.qualified_name and marker in text:
                self.invocations[(name, marker)] = self.invocations.get((name, marker), 0) + 1
                if left > 0:
                    self.failures[(name, marker)] = left - 1
                    raise RuntimeError("injected failure")


@pytest.fixture(scope="module")
def faults() -> FaultPlan:
    return FaultPlan()


@pytest.fixture(scope="module")
def server(faults: FaultPlan) -> Iterator[LocalServer]:
    settings = LocalStackSettings(
        prefix="shop-e2e",
        port=0,
        moto_port=0,
        approval_window_seconds=12,
        feedback_delay_seconds=1,
        visibility_timeout_seconds=1,
    )
    with LocalServer(settings, before_invoke=faults) as running:
        yield running
        assert running.stack is not None
        for event in running.stack.tap.collect():
            if event.detail != POISON_DETAIL:
                assert_matches_schema(event.detail_type, event.detail)


def aws_client(server: LocalServer, service: str) -> Any:
    """A plain boto3 client on the moto endpoint, as `aws --endpoint-url` would use."""
    assert server.moto is not None
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=server.moto.url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def customer(server: LocalServer, email: str) -> dict[str, str]:
    """``email``'s ``Authorization`` header: a real id token from moto's Cognito."""
    assert server.stack is not None
    return signed_in(server.stack.customers(), email)


def place(server: LocalServer, email: str) -> str:
    """``email``'s customer signs in and places an order over HTTP."""
    response = http_client.post_json(
        f"{server.url}/orders",
        {
            "items": [{"sku": "MUG-01", "quantity": 1}],  # "Enamel mug" in the catalogue
        },
        customer(server, email),
    )
    assert response.status == 201, response.text
    return str(response.json()["order_id"])


def mailbox(server: LocalServer) -> list[dict[str, Any]]:
    response = http_client.send("GET", f"{server.url}/mailbox.json")
    assert response.status == 200
    items: list[dict[str, Any]] = response.json()
    return items


def emails_for(server: LocalServer, order_id: str, word: str = "") -> list[dict[str, Any]]:
    return [
        m
        for m in mailbox(server)
        if m["kind"] == "email" and order_id in m["subject"] and word in m["subject"].lower()
    ]


def owner_text(server: LocalServer, order_id: str) -> str:
    def find() -> str | None:
        for m in mailbox(server):
            if m["kind"] == "owner" and order_id in m["text"]:
                return str(m["text"])
        return None

    return str(wait_until(find, what=f"the owner's message for {order_id}"))


def get_order(server: LocalServer, order_id: str, email: str) -> HttpResponse:
    """The order as its customer (``email``) reads it."""
    return http_client.send("GET", f"{server.url}/orders/{order_id}", customer(server, email))
