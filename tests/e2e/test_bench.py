"""``shop bench`` and ``shop dlq`` on a real local stack (moto in server mode, free ports).

Given faults (handlers that fail, events delivered twice), when a dozen orders go through the
HTTP API and the owner's links, then every invariant holds (after at most one redrive) and
the figures are written. Given a message that failed into a DLQ, ``shop dlq list`` shows it
without a customer's address and ``shop dlq redrive`` sends it back, after which the order
gets its email.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local import cli, dlq
from local.server import LocalServer
from local.settings import LocalStackSettings
from tests.e2e.conftest import POISON_DETAIL, FaultPlan, aws_client, emails_for, place
from tests.support.polling import wait_until
from tools.bench.config import BenchConfig
from tools.bench.runner import run

pytestmark = pytest.mark.timeout(180)


def test_bench_under_faults_holds_every_invariant_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    config = BenchConfig(
        orders=12,
        fail_rate=0.2,
        duplicate_rate=0.2,
        concurrency=6,
        seed=7,
        approval_window_seconds=8,
        visibility_timeout_seconds=1,  # quick retries: a dozen orders never fill a batch
        bus_outage_seconds=3,
        ses_outage_seconds=3,
        bounce_rate=0.25,
        json_path=tmp_path / "latest.json",
        chart_path=tmp_path / "latency.png",
    )

    figures = run(config, command="shop bench (e2e)")

    final = figures["invariants"]["after_redrive"] or figures["invariants"]["first_pass"]
    assert figures["ok"], json.dumps(final, indent=2)
    assert [r["name"] for r in final] == [
        "every order ended as its decision implies",
        "exactly one email of each expected kind",
        "no execution started twice",
        "no token left behind",
        "nothing lost",
        "bounced addresses recorded as failed, not retried",
    ]
    assert final[-1]["checked"] > 0  # some orders went to the bouncing address
    written = json.loads(config.json_path.read_text())  # type: ignore[union-attr]
    # Measured in the first pass: an order a redrive had to rescue is not counted there.
    assert 0 < written["throughput"]["orders"] <= 12
    assert written["throughput"]["orders_per_second"] > 0
    assert 0 < written["latency_seconds"]["placed_to_confirmation"]["count"] <= 12
    assert set(written["latency_seconds"]["placed_to_confirmation"]) == {
        "count",
        "p50",
        "p95",
        "max",
    }
    assert written["retries"]["failed_invocations"] > 0
    assert written["retries"]["duplicated_events"] > 0
    assert written["baseline"]["executions"] == 12
    # Its clients leave the timeouts as ours do; the figures still wait for them to end.
    assert written["baseline"]["ended"] == 12
    assert written["baseline"]["statuses"].get("RUNNING", 0) == 0
    assert written["overhead"]["throughput_ratio"] > 0
    assert set(written["dlq"]["before_redrive"]) >= {"notifications/customer-events"}
    if "chart" not in written:  # drawn when matplotlib (the bench extra) is installed
        assert config.chart_path.read_bytes().startswith(b"\x89PNG")  # type: ignore[union-attr]


def test_dlq_list_is_safe_and_redrive_lets_the_order_finish(
    capsys: pytest.CaptureFixture[str],
) -> None:
    faults = FaultPlan()
    # The queue's maxReceiveCount is 5: five failed receives move the message to the DLQ.
    faults.fail("notifications/email", "dlq-redrive@example.com", times=5)
    settings = LocalStackSettings(
        prefix="shop-e2e-dlq",
        port=0,
        moto_port=0,
        approval_window_seconds=60,
        visibility_timeout_seconds=1,
    )
    with LocalServer(settings, before_invoke=faults) as server:
        assert server.moto is not None
        aws_client(server, "events").put_events(
            Entries=[
                {
                    "EventBusName": settings.bus_name,
                    "Source": "shop.orders",
                    "DetailType": "OrderPlaced",
                    "Detail": json.dumps(POISON_DETAIL),
                }
            ]
        )
        order_id = place(server, "dlq-redrive@example.com")
        sqs = aws_client(server, "sqs")
        wait_until(
            lambda: dlq.counts(sqs, settings.prefix)["notifications/customer-events"] == 2,
            timeout=60,
            what="the poison message and the order's OrderPlaced in the DLQ",
        )
        endpoint = ["--moto-url", server.moto.url, "--prefix", settings.prefix]

        assert cli.main(["dlq", "list", *endpoint]) == 0
        listing = capsys.readouterr().out
        assert "notifications/customer-events" in listing
        lines = [line.split() for line in listing.splitlines()]
        assert ["OrderPlaced", "order", order_id] == next(
            line[:3] for line in lines if order_id in line
        )
        assert ["OrderPlaced", "order", "x"] in [line[:3] for line in lines]  # the poison
        assert "@" not in listing  # no customer address, whatever the bodies hold
        assert emails_for(server, order_id, "received") == []

        assert cli.main(["dlq", "redrive", *endpoint]) == 0
        assert "moved    2 message(s) back to shop-e2e-dlq-notifications-customer-events" in (
            capsys.readouterr().out
        )

        wait_until(
            lambda: emails_for(server, order_id, "received"),
            timeout=30,
            what="the confirmation email after the redrive",
        )
        assert len(emails_for(server, order_id, "received")) == 1
