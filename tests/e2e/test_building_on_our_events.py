"""Building on our events, on the local stack as a user runs it: ``shop events tail`` shows a
demo order's events in order, and the example subscriber (another team's loyalty service,
switched on by its setting) receives real events from real orders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from local import http_client
from local.links import decision_link, follow
from local.server import LocalServer
from local.settings import LocalStackSettings
from tests.e2e.conftest import aws_client, owner_text, place
from tests.support.paths import REPO_ROOT
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(180)
JOURNEY = ["OrderPlaced", "ApprovalRequested", "OrderApproved", "OrderShipped", "FeedbackDue"]


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    settings = LocalStackSettings(
        prefix="shop-e2e-subscribers",
        port=0,
        moto_port=0,
        approval_window_seconds=12,
        feedback_delay_seconds=1,
        visibility_timeout_seconds=1,
        example_subscriber=True,
    )
    with LocalServer(settings) as running:
        yield running


class TailProcess:
    """``shop events tail`` in its own process, its output collected line by line."""

    def __init__(self, server: LocalServer, *args: str) -> None:
        assert server.moto is not None
        self.lines: list[str] = []
        self.errors: list[str] = []
        tail = [sys.executable, "-m", "local.cli", "events", "tail", "--moto-url", server.moto.url]
        self.process = subprocess.Popen(
            [*tail, *args],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.lines)),
            threading.Thread(target=self._read, args=(self.process.stderr, self.errors)),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, into: list[str]) -> None:
        for text in stream:
            into.append(text.rstrip("\n"))

    def kill(self) -> None:
        """After a failed test: nothing outlives it."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def interrupt(self) -> int:
        """Ctrl-C, as a person would end it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        for reader in self._readers:
            reader.join(10)
        return code


def approve(server: LocalServer, order_id: str) -> None:
    _, result = follow(http_client.send, decision_link(owner_text(server, order_id), "approve"))
    assert result is not None
    assert result.status == 200


@pytest.fixture
def tail(server: LocalServer) -> Iterator[TailProcess]:
    running = TailProcess(server)
    try:
        yield running
    finally:
        running.kill()


def test_tail_shows_a_demo_orders_events_in_order(server: LocalServer, tail: TailProcess) -> None:
    wait_until(
        lambda: any("tailing bus" in e for e in tail.errors), timeout=60, what="the tail to start"
    )

    order_id = place(server, "tail@example.com")
    approve(server, order_id)

    def lines() -> list[list[str]]:
        # What became of each email is announced too; the journey is the workflow's steps.
        return [
            line.split()
            for line in tail.lines
            if order_id in line and "EmailOutcomeRecorded" not in line
        ]

    def journey() -> list[str]:
        return [words[1] for words in lines()]

    wait_until(lambda: "FeedbackDue" in journey(), timeout=60, what="the order's FeedbackDue")
    assert tail.interrupt() == 0
    assert journey() == JOURNEY
    times = [words[0] for words in lines()]
    assert times == sorted(times)
    assert any("EmailOutcomeRecorded" in line and order_id in line for line in tail.lines)
    assert "rule and queue are deleted" in tail.errors[-1]
    rules = aws_client(server, "events").list_rules(EventBusName="shop")["Rules"]
    assert not [r for r in rules if r["Name"].startswith("shop-tail-")]


def test_example_subscriber_awards_points_for_a_real_shipped_order(server: LocalServer) -> None:
    order_id = place(server, "loyal@example.com")
    approve(server, order_id)
    table = f"{server.settings.prefix}-loyalty-points"
    ddb = aws_client(server, "dynamodb")

    def entry() -> dict[str, Any] | None:
        item: dict[str, Any] | None = ddb.get_item(
            TableName=table,
            Key={"customer": {"S": "loyal@example.com"}, "order_id": {"S": order_id}},
        ).get("Item")
        return item

    awarded = wait_until(entry, timeout=60, what="the loyalty service's entry")
    assert awarded is not None
    assert awarded["status"]["S"] == "awarded"
    assert Decimal(awarded["points"]["N"]) == 12  # one per whole euro of 12.50


def test_example_subscriber_takes_points_back_for_a_real_cancelled_order(
    server: LocalServer,
) -> None:
    order_id = place(server, "fickle@example.com")
    _, result = follow(http_client.send, decision_link(owner_text(server, order_id), "reject"))
    assert result is not None
    table = f"{server.settings.prefix}-loyalty-points"
    ddb = aws_client(server, "dynamodb")

    def revoked() -> dict[str, Any] | None:
        item: dict[str, Any] | None = ddb.get_item(
            TableName=table,
            Key={"customer": {"S": "fickle@example.com"}, "order_id": {"S": order_id}},
        ).get("Item")
        return item if item and item["status"]["S"] == "revoked" else None

    entry = wait_until(revoked, timeout=60, what="the cancellation to reach the loyalty service")
    assert entry is not None
    assert entry["points"]["N"] == "0"
