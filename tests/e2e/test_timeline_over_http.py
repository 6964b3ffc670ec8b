"""The order's timeline on the local stack over real HTTP: ``shop orders timeline`` as the
customer runs it, and the route as another customer (or nobody) meets it."""

from __future__ import annotations

import json

import pytest

from local import cli, http_client
from local.links import decision_link, follow
from local.server import LocalServer
from tests.e2e.conftest import customer, get_order, owner_text
from tests.support.customers import PASSWORD
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(120)


def test_a_customer_reads_a_rejected_orders_timeline_after_it_is_deleted(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a customer who placed an order with `shop orders place`, which the owner rejects
    assert server.moto is not None
    monkeypatch.setenv("SHOP_LOCAL_PREFIX", server.settings.prefix)
    moto, email = ["--moto-url", server.moto.url], "tess.timeline@example.com"
    customer(server, email)  # signs up with the tests' password
    signed_in = ["--email", email, "--password", PASSWORD, "--url", server.url, *moto]
    assert cli.main(["orders", "place", *signed_in]) == 0
    order_id = json.loads(capsys.readouterr().out)["order_id"]
    link = decision_link(owner_text(server, order_id), "reject")
    follow(http_client.send, link, comment="Sold out")

    def cancellation_emailed() -> bool:
        return cli.main(["orders", "timeline", order_id, *signed_in]) == 0 and (
            "Cancellation email sent" in capsys.readouterr().out
        )

    wait_until(cancellation_emailed, timeout=60, what="the cancellation email in the timeline")

    # When they read it with `shop orders timeline`, once the order itself is gone
    assert get_order(server, order_id, email).status == 404
    assert cli.main(["orders", "timeline", order_id, *signed_in]) == 0
    lines = capsys.readouterr().out.splitlines()

    # Then it shows each step in order, the owner's comment, and how long it is kept
    texts = [line.split("  ", 1)[1] for line in lines[:-1]]
    assert texts[0] == "Order placed"
    assert texts.index('Rejected by the owner: "Sold out"') < texts.index(
        "Cancelled (rejected; by owner)"
    )
    assert "Order confirmation sent" in texts
    assert lines[-1].startswith("kept until ")
    # and over HTTP another customer, and nobody signed in, learn nothing
    url = f"{server.url}/orders/{order_id}/timeline"
    assert http_client.send("GET", url, customer(server, "nosy@example.com")).status == 404
    assert http_client.send("GET", url).status == 401
    assert cli.main(["orders", "timeline", order_id, "--json", *signed_in]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["cancelled_order_retention_days"] == 90
    assert email not in json.dumps(body)
