"""The approvals service on moto, through its real handlers.

Given an ApprovalRequested delivered to the request function, the owner gets a message with
two signed links; following them through the decision function (Function URL events) shows
the order, records exactly one decision and puts exactly one event on the bus, whatever
order, number or shape of clicks arrives.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import boto3
import pytest

from events.models import (
    ApprovalRequested,
    OrderApproved,
    OrderRejected,
    utc_now,
)
from local.http_events import HttpResponse
from local.keys import rotate
from local.links import forms_in
from services.approvals.handlers import decision, request
from services.approvals.handlers.http import SECURITY_HEADERS
from services.approvals.links import LinkSigner, SigningKey, VerifiedLink, new_approval_id
from services.approvals.models import Decision
from tests.integration.approvals.conftest import DECISION_URL, Approvals, lambda_context
from tests.integration.conftest import EmittedMetrics
from tests.support.events import sqs_event
from tests.unit.approvals.fakes import StaticKeyring, approval_requested, order_cancelled

LINK = re.compile(r"https://\S+")


def request_for(order_id: str) -> ApprovalRequested:
    """An ApprovalRequested made now, with an hour to answer."""
    event = approval_requested(order_id, deadline=utc_now() + timedelta(hours=1))
    return event.model_copy(
        update={"data": event.data.model_copy(update={"requested_at": utc_now()})}
    )


def links_of(text: str) -> dict[str, str]:
    return {dict(parse_qsl(urlsplit(url).query))["decision"]: url for url in LINK.findall(text)}


def owner_links(approvals: Approvals, order_id: str) -> dict[str, str]:
    approvals.deliver(request_for(order_id))
    [message] = [m for m in approvals.owner_messages() if order_id in m.subject]
    return links_of(message.text)


def form_fields(page: HttpResponse) -> dict[str, str]:
    [form] = [f for f in forms_in(page.text) if f.method.lower() == "post"]
    return form.fields


def assert_safe_page(response: HttpResponse, status: int) -> None:
    assert response.status == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name.lower()] == value
    assert response.text.startswith("<!doctype html>")
    assert "Traceback" not in response.text
    assert "Error:" not in response.text


def test_a_request_sends_the_owner_one_message_with_two_links_that_verify(
    approvals: Approvals,
) -> None:
    result = approvals.deliver(request_for("ord_links"))

    assert result == {"batchItemFailures": []}
    [message] = approvals.owner_messages()
    assert message.subject == "Order ord_links needs your approval"
    assert "Ada Lovelace" in message.text
    assert "Enamel mug" in message.text
    links = links_of(message.text)
    assert set(links) == {"approve", "reject"}
    signer = approvals.signer
    for decision_value, url in links.items():
        split = urlsplit(url)
        assert url.startswith(f"{DECISION_URL}/approvals/")
        approval_id = split.path.rsplit("/", 1)[1]
        check = signer.verify(approval_id, dict(parse_qsl(split.query)), utc_now())
        assert isinstance(check, VerifiedLink)
        assert check.decision is Decision(decision_value)
        assert "ord_links" not in url  # an opaque reference, not the order id


def test_opening_a_link_shows_the_order_and_a_form_and_changes_nothing(
    approvals: Approvals,
) -> None:
    links = owner_links(approvals, "ord_get")
    before = approvals.items()

    page = approvals.open(links["approve"])
    other = approvals.open(links["reject"])

    assert_safe_page(page, 200)
    assert_safe_page(other, 200)
    for text in ("Ada Lovelace", "Enamel mug", "Assam tea", "32.90 EUR", "Approve shipment"):
        assert text in page.text
    assert "Reject order" in other.text
    assert set(form_fields(page)) >= {"decision", "expires", "kid", "sig", "comment"}
    assert approvals.items() == before
    assert approvals.bus_events() == []


def test_confirming_an_approval_records_it_and_puts_one_order_approved_on_the_bus(
    approvals: Approvals,
) -> None:
    links = owner_links(approvals, "ord_approve")
    page = approvals.open(links["approve"])

    result = approvals.submit(links["approve"], form_fields(page) | {"comment": "Ship today"})

    assert_safe_page(result, 200)
    assert "Approved — the customer will be told" in result.text
    [event] = approvals.bus_events()
    assert event.source == "shop.approvals"
    approved = event.typed()
    assert isinstance(approved, OrderApproved)
    assert approved.data.order_id == "ord_approve"
    assert approved.data.comment == "Ship today"
    assert approved.metadata.correlation_id == "ord_approve"


def test_confirming_a_rejection_puts_one_order_rejected_on_the_bus(approvals: Approvals) -> None:
    links = owner_links(approvals, "ord_reject")
    page = approvals.open(links["reject"])

    result = approvals.submit(links["reject"], form_fields(page))

    assert_safe_page(result, 200)
    assert "Rejected" in result.text
    [event] = approvals.bus_events()
    rejected = event.typed()
    assert isinstance(rejected, OrderRejected)
    assert rejected.data.comment is None


def test_double_post_replay_and_approve_then_reject_make_one_decision(
    approvals: Approvals, metrics: EmittedMetrics
) -> None:
    links = owner_links(approvals, "ord_clicks")
    approve_form = form_fields(approvals.open(links["approve"]))
    reject_form = form_fields(approvals.open(links["reject"]))

    first = approvals.submit(links["approve"], approve_form)
    double = approvals.submit(links["approve"], approve_form)
    rejected_late = approvals.submit(links["reject"], reject_form)
    replayed_later = approvals.submit(links["approve"], approve_form)
    looked_again = approvals.open(links["reject"])

    assert_safe_page(first, 200)
    for page in (double, rejected_late, replayed_later):
        assert_safe_page(page, 409)
        assert "already approved" in page.text
    assert_safe_page(looked_again, 200)
    assert "already approved" in looked_again.text
    assert forms_in(looked_again.text) == []
    assert [e.detail_type for e in approvals.bus_events()] == ["OrderApproved"]
    assert (metrics["ApprovalRequested"], metrics["DecidedApprove"]) == (1, 1)
    assert metrics["DecidedReject"] == 0


def test_tampered_expired_unknown_and_malformed_links_get_their_pages(
    approvals: Approvals,
) -> None:
    links = owner_links(approvals, "ord_bad")
    before = approvals.items()
    signer = approvals.signer
    approve = links["approve"]
    past = int((utc_now() - timedelta(seconds=1)).timestamp())

    kid = dict(parse_qsl(urlsplit(approve).query))["kid"]
    tampered = approvals.open(approve.replace("decision=approve", "decision=reject"))
    leading_zero = approvals.open(approve.replace("expires=", "expires=0"))
    forged = approvals.open(
        LinkSigner(StaticKeyring(SigningKey(kid, b"x" * 32))).url(
            DECISION_URL, "A" * 32, Decision.APPROVE, past + 99999
        )
    )
    expired = approvals.open(signer.url(DECISION_URL, "A" * 32, Decision.APPROVE, past))
    unknown = approvals.open(
        signer.url(DECISION_URL, new_approval_id(), Decision.APPROVE, past + 3600)
    )
    malformed = approvals.open(approve.split("&sig=")[0])
    elsewhere = approvals.open(f"{DECISION_URL}/admin")

    assert_safe_page(tampered, 403)
    assert_safe_page(leading_zero, 400)
    assert_safe_page(forged, 403)
    assert_safe_page(expired, 410)
    assert_safe_page(unknown, 404)
    assert_safe_page(malformed, 400)
    assert_safe_page(elsewhere, 404)
    assert approvals.items() == before
    assert approvals.bus_events() == []


def test_forged_or_garbled_posts_decide_nothing(approvals: Approvals) -> None:
    links = owner_links(approvals, "ord_bad_post")
    fields = form_fields(approvals.open(links["approve"]))
    before = approvals.items()

    flipped = approvals.submit(links["approve"], fields | {"decision": "reject"})
    unsigned = approvals.submit(links["approve"], {k: v for k, v in fields.items() if k != "sig"})
    long_comment = approvals.submit(links["approve"], fields | {"comment": "x" * 501})
    doubled = approvals.submit_raw(
        links["approve"], b"decision=approve&decision=reject&expires=1&sig=a"
    )
    not_utf8 = approvals.submit_raw(links["approve"], b"comment=\xff\xfe&decision=approve")

    assert_safe_page(flipped, 403)
    assert_safe_page(unsigned, 400)
    assert_safe_page(long_comment, 400)
    assert_safe_page(doubled, 400)
    assert_safe_page(not_utf8, 400)
    assert approvals.items() == before
    assert approvals.bus_events() == []


def test_a_click_after_the_timeout_says_nobody_answered_and_decides_nothing(
    approvals: Approvals,
) -> None:
    links = owner_links(approvals, "ord_timeout")
    form = form_fields(approvals.open(links["approve"]))

    approvals.deliver(order_cancelled("ord_timeout", "approval_timeout", at=utc_now()))
    page = approvals.open(links["approve"])
    posted = approvals.submit(links["approve"], form)

    assert_safe_page(page, 200)
    assert_safe_page(posted, 409)
    for response in (page, posted):
        assert "cancelled at" in response.text
        assert "nobody answered" in response.text
        assert forms_in(response.text) == []
    assert approvals.bus_events() == []


def test_a_duplicate_request_sends_one_message_and_opens_one_approval(
    approvals: Approvals,
) -> None:
    event = request_for("ord_twice")

    approvals.deliver(event, event)  # twice in one batch
    approvals.deliver(event)  # and once more later

    assert len(approvals.owner_messages()) == 1
    kinds = sorted(item["kind"]["S"] for item in approvals.items())
    assert kinds == ["approval", "order-lookup"]


def test_a_malformed_event_fails_alone_without_blocking_the_batch(approvals: Approvals) -> None:
    result = approvals.deliver(request_for("ord_ok"))
    assert result == {"batchItemFailures": []}

    batch = sqs_event(request_for("ord_ok2"), raw_bodies=('{"detail-type": "nonsense"}',))
    outcome = request.lambda_handler(batch, lambda_context())

    assert [f["itemIdentifier"] for f in outcome["batchItemFailures"]] == [
        batch["Records"][1]["messageId"]
    ]
    assert len(approvals.owner_messages()) == 2


def test_a_decision_that_could_not_be_published_is_published_when_confirmed_again(
    approvals: Approvals, monkeypatch: pytest.MonkeyPatch
) -> None:
    links = owner_links(approvals, "ord_retry")
    form = form_fields(approvals.open(links["approve"]))
    reject_form = form_fields(approvals.open(links["reject"]))

    # Given a bus that cannot be reached for the first confirmation
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    decision.dependencies.cache_clear()
    failed = approvals.submit(links["approve"], form)
    monkeypatch.setenv("EVENT_BUS_NAME", approvals.provisioned.env["EVENT_BUS_NAME"])
    decision.dependencies.cache_clear()

    assert_safe_page(failed, 503)
    assert approvals.bus_events() == []
    # The other decision still loses to the recorded one
    assert "already approved" in approvals.open(links["reject"]).text
    assert_safe_page(approvals.submit(links["reject"], reject_form), 409)
    # When the owner presses the button on the retry page again
    retried = approvals.submit(links["approve"], form_fields(failed))

    assert_safe_page(retried, 200)
    assert [e.detail_type for e in approvals.bus_events()] == ["OrderApproved"]


def test_no_signature_or_key_reaches_the_logs(
    approvals: Approvals, capsys: pytest.CaptureFixture[str]
) -> None:
    links = owner_links(approvals, "ord_logs")
    page = approvals.open(links["approve"])
    approvals.submit(links["approve"], form_fields(page))
    approvals.open(links["approve"].replace("decision=approve", "decision=reject"))

    logs = capsys.readouterr()
    sig = dict(parse_qsl(urlsplit(links["approve"]).query))["sig"]
    key = approvals.signer_key().secret.decode()
    for output in (logs.out, logs.err):
        assert sig not in output
        assert key not in output
        assert "ada@example.com" not in output


def test_links_signed_before_a_key_rotation_still_open_and_decide(approvals: Approvals) -> None:
    # Given an owner holding links signed with today's key
    old = owner_links(approvals, "ord_rotated")

    # When the key is rotated and both functions start afresh
    rotate(boto3.client("secretsmanager"), approvals.secret_id)
    request.dependencies.cache_clear()
    decision.dependencies.cache_clear()
    new = owner_links(approvals, "ord_after_rotation")

    # Then new links carry the new key id, and both old and new links work
    kid_of = {name: dict(parse_qsl(urlsplit(url).query))["kid"] for name, url in old.items()}
    assert dict(parse_qsl(urlsplit(new["approve"]).query))["kid"] != kid_of["approve"]
    assert_safe_page(approvals.open(new["reject"]), 200)
    page = approvals.open(old["approve"])
    assert_safe_page(page, 200)
    result = approvals.submit(old["approve"], form_fields(page))
    assert_safe_page(result, 200)
    [approved] = approvals.bus_events("OrderApproved")
    assert approved.detail["data"]["order_id"] == "ord_rotated"


def test_head_on_a_valid_link_answers_like_get_without_a_body(approvals: Approvals) -> None:
    links = owner_links(approvals, "ord_head")
    before = approvals.items()

    head = approvals.head(links["approve"])
    get = approvals.open(links["approve"])

    assert head.status == get.status == 200
    assert head.body == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["cache-control"] == "no-store"
    assert approvals.items() == before
    assert (
        approvals.head(links["approve"].replace("decision=approve", "decision=reject")).status
        == 403
    )
