"""The bench's clients: each places an order, waits for the owner's message about it,
answers it as the mix says and follows it to its last email, then takes the next order (a
closed loop: at most ``concurrency`` orders are being worked on at any time).

Everything goes over HTTP as a person's browser would: the customer signs in (moto's
Cognito), then ``POST /orders`` with their id token and an Idempotency-Key, the owner's
link opened (GET) and its form submitted (POST). A 5xx answer
(an injected failure, or a decision recorded but not yet published) is retried, as a client
would, and counted.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from local import http_client
from local.customers import CustomerDirectory, bearer
from local.http_events import HttpResponse
from local.links import decision_link, follow
from local.ses_events import BOUNCE_ADDRESS
from tools.bench.config import Decision
from tools.bench.observe import OWNER, MailWatch, kind_of

MAX_ATTEMPTS = 30
CANCELLED = "order_cancelled"
LAST_EMAILS = ("feedback_request", CANCELLED)
RETRY_PAUSE_SECONDS = 0.1

# The spec's sample order, priced by the orders service from the local sample catalogue.
ITEMS = [{"sku": "shoes", "quantity": 5}, {"sku": "socks", "quantity": 2}]


class Answer(StrEnum):
    RECORDED = "recorded"  # the owner's POST was the decision that counts (HTTP 200)
    TOO_LATE = "too_late"  # the page said nothing can be decided any more (window closed)
    NOT_ASKED = "not_asked"  # no owner's message arrived while the client waited
    LEFT = "left"  # the mix said: let it time out
    UNKNOWN = "unknown"  # closed after a request of ours got no answer: ours, or too late
    FAILED = "failed"  # the link or the page did not work (a bench or system error)


@dataclass
class Journey:
    index: int
    intended: Decision
    email: str
    idempotency_key: str
    order_id: str = ""
    post_started: float = 0.0  # epoch seconds
    placed_at: datetime | None = None  # when POST /orders returned 201
    place_error: str = ""
    answer: Answer | None = None
    decided_at: datetime | None = None  # when the decision's POST returned
    http_retries: int = 0
    error: str = ""  # what broke the client, if anything did
    auth: dict[str, str] = field(default_factory=dict)  # the customer's Authorization header


def journeys_for(
    decisions: list[Decision], run_id: str, bounces: frozenset[int] = frozenset()
) -> list[Journey]:
    """One journey per decision; those whose index is in ``bounces`` order with SES's
    simulator address that always bounces."""
    return [
        Journey(
            index=i,
            intended=decision,
            email=BOUNCE_ADDRESS if i in bounces else f"bench-{run_id}-{i}@example.com",
            idempotency_key=str(uuid.uuid4()),
        )
        for i, decision in enumerate(decisions)
    ]


def _retrying(journey: Journey, call: Callable[[], HttpResponse]) -> HttpResponse:
    """``call`` again after a 5xx or a connection that failed or timed out, as a client with
    an Idempotency-Key (or a plain GET) safely may."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response = call()
        except OSError:  # refused, reset, timed out: the request may or may not have landed
            if attempt == MAX_ATTEMPTS:
                raise
        else:
            if response.status < 500 or attempt == MAX_ATTEMPTS:
                return response
        journey.http_retries += 1
        time.sleep(RETRY_PAUSE_SECONDS * min(attempt, 5))
    raise AssertionError("unreachable")


# Bench customers live only on the bench's own fresh moto; journeys that share an address (the
# bouncing one) share its customer, so they share its password too.
BENCH_PASSWORD = "Bench-Passw0rd-local"  # noqa: S105 - moto's Cognito, created by the bench
_SIGN_UP = threading.Lock()  # one creation per address, even when clients race for it


def sign_in(customers: CustomerDirectory, journey: Journey) -> None:
    """The journey's customer is created (email verified) if new, and signs in."""
    with _SIGN_UP:
        customers.ensure(journey.email, f"Bench Customer {journey.index}", BENCH_PASSWORD)
    journey.auth = bearer(customers.id_token(journey.email, BENCH_PASSWORD))


def place(base_url: str, journey: Journey) -> bool:
    payload = {"items": ITEMS}
    headers = {"idempotency-key": journey.idempotency_key, **journey.auth}
    journey.post_started = time.time()
    response = _retrying(
        journey, lambda: http_client.post_json(f"{base_url}/orders", payload, headers)
    )
    if response.status != 201:
        journey.place_error = f"HTTP {response.status}"
        return False
    journey.placed_at = datetime.now(UTC)
    journey.order_id = str(response.json()["order_id"])
    return True


def answer(watch: MailWatch, journey: Journey, wait_seconds: float) -> None:
    """Wait for the owner's message and answer it as ``journey.intended`` says."""
    # A cancellation first means the window closed before the owner was asked: the owner
    # is not asked about a cancelled order, so there is nothing left to wait for.
    message = watch.wait_for(journey.order_id, (OWNER, CANCELLED), wait_seconds)
    if message is None or kind_of(message, journey.order_id) != OWNER:
        journey.answer = Answer.NOT_ASKED
        return
    if journey.intended == "timeout":
        journey.answer = Answer.LEFT
        return
    link = decision_link(message.body, journey.intended)
    lost_answer = False  # a request whose answer never came may have recorded the decision
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            journey.http_retries += 1
            time.sleep(RETRY_PAUSE_SECONDS * min(attempt, 5))
        try:
            page, result = follow(http_client.send, link)
        except OSError:
            lost_answer = True
            continue  # GET changes nothing and the first POST wins: both are safe again
        if page.status >= 500 or (result is not None and result.status >= 500):
            continue  # GET or POST failed before doing anything, or not published yet
        if result is not None and result.status == 200:
            journey.decided_at = datetime.now(UTC)
            journey.answer = Answer.RECORDED
        elif (result is None and page.status == 200) or (result and result.status == 409):
            # A page without a form, or a POST that changed nothing: the approval is closed,
            # by the window or by our own earlier request whose answer was lost.
            journey.answer = Answer.UNKNOWN if lost_answer else Answer.TOO_LATE
        else:
            journey.answer = Answer.FAILED
        return
    journey.answer = Answer.FAILED


def run_journey(
    base_url: str,
    watch: MailWatch,
    journey: Journey,
    wait_seconds: float,
    end_seconds: float,
    *,
    customers: CustomerDirectory,
) -> None:
    """Sign in, place, answer, and follow the order to its last email (an order left to time
    out is not followed: its window is a wait, not work)."""
    try:
        sign_in(customers, journey)
        if place(base_url, journey):
            answer(watch, journey, wait_seconds)
        if journey.answer is Answer.RECORDED:
            watch.wait_for(journey.order_id, LAST_EMAILS, end_seconds)
    except Exception as error:  # a client that breaks is reported, not lost
        journey.error = f"{type(error).__name__}: {error}"


def resume(watch: MailWatch, journey: Journey, wait_seconds: float) -> None:
    """Answer an owner's message that arrives only now (after a redrive)."""
    try:
        answer(watch, journey, wait_seconds)
    except Exception as error:
        journey.error = f"{type(error).__name__}: {error}"


def final_state(base_url: str, journey: Journey) -> str:
    """``deleted`` (404) or the order's status, as ``GET /orders/{id}`` says."""
    response = _retrying(
        journey,
        lambda: http_client.send("GET", f"{base_url}/orders/{journey.order_id}", journey.auth),
    )
    if response.status == 404:
        return "deleted"
    if response.status != 200:
        return f"HTTP {response.status}"
    return str(response.json_status())
