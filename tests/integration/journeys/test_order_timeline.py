"""The order's timeline at the end of real journeys through the four services on moto.

Given an order the owner approves (or nobody answers), when its customer reads the timeline,
then every step is there in order with what became of each email, and a cancelled order's
timeline is still there after the order is deleted, for that customer only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from local.links import decision_link, follow
from local.stack import LocalStack
from tests.integration.journeys.conftest import StackFactory, get_order, place_order, send
from tests.integration.journeys.test_order_journeys import owner_message
from tests.support.customers import signed_in
from tests.support.polling import wait_until

pytestmark = pytest.mark.timeout(120)


def timeline(stack: LocalStack, order_id: str, email: str) -> tuple[int, Any]:
    response = stack.router.request(
        "GET", f"/orders/{order_id}/timeline", headers=signed_in(stack.customers(), email)
    )
    return response.status, json.loads(response.body) if response.body else None


def steps_until(
    stack: LocalStack, order_id: str, email: str, last: tuple[str, ...], timeout: float = 40
) -> list[dict[str, Any]]:
    """The timeline's steps once it holds ``last`` (a step, and for an email its outcome)."""

    def ready() -> list[dict[str, Any]]:
        status, body = timeline(stack, order_id, email)
        if status != 200:
            return []
        steps: list[dict[str, Any]] = body["steps"]
        keys = {(s["step"], s.get("email"), s.get("outcome")) for s in steps}
        return steps if last in keys else []

    return wait_until(ready, timeout=timeout, what=f"{order_id}'s timeline to show {last}")


def test_an_approved_orders_timeline_shows_each_step_and_email_outcome(
    make_stack: StackFactory,
) -> None:
    stack = make_stack()
    order_id = place_order(stack, "story@example.com")
    message = owner_message(stack, order_id)
    follow(send(stack), decision_link(message.body, "approve"), comment="Gift wrapped")

    steps = steps_until(
        stack, order_id, "story@example.com", ("email", "feedback_request", "delivered")
    )
    stack.wait_until_idle()
    _, body = timeline(stack, order_id, "story@example.com")
    steps = body["steps"]

    journey = [s["step"] for s in steps if s["step"] != "email"]
    assert journey == ["placed", "approval_requested", "approved", "shipped", "feedback_requested"]
    approved = next(s for s in steps if s["step"] == "approved")
    assert (approved["comment"], approved["by"]) == ("Gift wrapped", "owner")
    outcomes = [(s["email"], s["outcome"]) for s in steps if s["step"] == "email"]
    for email in ("order_received", "shipment_confirmed", "feedback_request"):
        # Locally every address but the simulator's bounce/complaint ones is delivered.
        assert [o for e, o in outcomes if e == email] == ["sent", "delivered"], email
    times = [s["at"] for s in steps]
    assert times == sorted(times)
    confirmation = next(s for s in steps if s.get("email") == "order_received")
    assert steps.index(confirmation) > 0  # after the placement


def test_a_timed_out_orders_timeline_is_readable_after_the_order_is_deleted(
    make_stack: StackFactory,
) -> None:
    stack = make_stack(approval_window_seconds=2, decision_margin_seconds=1)
    order_id = place_order(stack, "late@example.com")

    steps = steps_until(stack, order_id, "late@example.com", ("email", "order_cancelled", "sent"))
    stack.wait_until_idle()

    assert get_order(stack, order_id, "late@example.com").status == 404
    status, body = timeline(stack, order_id, "late@example.com")
    assert status == 200
    cancelled = next(s for s in body["steps"] if s["step"] == "cancelled")
    assert (cancelled["reason"], cancelled["by"]) == ("approval_timeout", "nobody")
    assert body["expires_at"] is not None
    assert "kept for 90 days after the cancellation" in body["retention"]
    assert [s["step"] for s in steps][:1] == ["placed"]
    assert timeline(stack, order_id, "someone.else@example.com")[0] == 404
