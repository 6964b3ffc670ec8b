"""What the owner reads: the message and each page say what happened, and nothing unsafe."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from events.models import Customer
from local.links import decision_link
from services.approvals.adapters.notifier import owner_message
from services.approvals.domain.answers import (
    AlreadyDecided,
    AwaitingConfirmation,
    Cancelled,
    DecisionRecorded,
    WindowClosed,
)
from services.approvals.domain.ports import OwnerLinks, OwnerRequest
from services.approvals.domain.requests import summary_of
from services.approvals.handlers.pages import answer_page, error_page, problem_page
from services.approvals.links import LinkProblem, VerifiedLink, signature
from services.approvals.models import Approval, ApprovalStatus, Decision
from tests.unit.approvals.fakes import BASE_URL, KEY, NOW, approval_requested

HOSTILE_NAME = '<script>alert("x")</script> & Co'


def make_approval(**changes: object) -> Approval:
    data = approval_requested("ord_1", name=HOSTILE_NAME).data
    approval = Approval(
        approval_id="Zq3x9bWc0Yp1LrT5uVn7KsAe2Dg4Hj6M",
        order=summary_of(data),
        requested_at=NOW,
        deadline=NOW + timedelta(hours=24),
        link_expires=int((NOW + timedelta(days=8)).timestamp()),
        status=ApprovalStatus.PENDING,
    )
    return approval.model_copy(update=changes)


def link_for(approval: Approval, decision: Decision) -> VerifiedLink:
    sig = signature(KEY, approval.approval_id, decision, approval.link_expires)
    return VerifiedLink(approval.approval_id, decision, approval.link_expires, KEY.kid, sig)


def test_the_confirmation_page_shows_the_order_and_a_form_carrying_the_signed_link() -> None:
    approval = make_approval()
    link = link_for(approval, Decision.APPROVE)

    page = answer_page(AwaitingConfirmation(approval, Decision.APPROVE), link, posted=False)

    assert page.status_code == 200
    html = page.html
    assert "Enamel mug" in html
    assert "Assam tea" in html
    assert "32.90 EUR" in html
    assert "25.00" in html  # 2 x 12.50
    assert "2030-05-02 12:00 UTC" in html  # the deadline
    assert '<form method="post" action="Zq3x9bWc0Yp1LrT5uVn7KsAe2Dg4Hj6M">' in html
    assert f'name="sig" value="{link.signature}"' in html
    assert 'name="decision" value="approve"' in html
    assert f'name="expires" value="{approval.link_expires}"' in html
    assert f'name="kid" value="{KEY.kid}"' in html
    assert 'name="comment"' in html
    assert "Approve shipment" in html
    assert "Reject order" not in html


def test_the_reject_confirmation_offers_only_rejection() -> None:
    approval = make_approval()
    html = answer_page(
        AwaitingConfirmation(approval, Decision.REJECT),
        link_for(approval, Decision.REJECT),
        posted=False,
    ).html

    assert "Reject order" in html
    assert "Approve shipment" not in html


def test_customer_text_is_escaped_on_every_page() -> None:
    approval = make_approval()
    decided = make_approval(status=ApprovalStatus.APPROVED, decided_at=NOW, comment="<b>ok</b>")
    link = link_for(approval, Decision.APPROVE)

    for outcome in (
        AwaitingConfirmation(approval, Decision.APPROVE),
        DecisionRecorded(decided),
        AlreadyDecided(decided),
    ):
        html = answer_page(outcome, link, posted=True).html
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "<b>ok</b>" not in html


def test_the_result_page_says_what_was_decided() -> None:
    approved = make_approval(status=ApprovalStatus.APPROVED, decided_at=NOW)
    rejected = make_approval(status=ApprovalStatus.REJECTED, decided_at=NOW)
    link = link_for(approved, Decision.APPROVE)

    assert "Approved — the customer will be told" in (
        answer_page(DecisionRecorded(approved), link, posted=True).html
    )
    assert "Rejected — the order will be cancelled" in (
        answer_page(DecisionRecorded(rejected), link, posted=True).html
    )


def test_a_later_click_sees_the_earlier_decision_and_when_it_was_made() -> None:
    approved = make_approval(
        status=ApprovalStatus.APPROVED, decided_at=NOW, decision_event_id=uuid.uuid4()
    )
    link = link_for(approved, Decision.REJECT)

    posted = answer_page(AlreadyDecided(approved), link, posted=True)
    looked = answer_page(AlreadyDecided(approved), link, posted=False)

    assert posted.status_code == 409
    assert looked.status_code == 200
    assert "already approved" in posted.html
    assert "2030-05-01 12:00 UTC" in posted.html
    assert "<form" not in posted.html


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"status": ApprovalStatus.CANCELLED, "cancel_reason": "approval_timeout"},
            "nobody answered",
        ),
        (
            {"status": ApprovalStatus.REJECTED, "decided_at": NOW, "cancel_reason": "rejected"},
            "because it was rejected",
        ),
        (
            {
                "status": ApprovalStatus.APPROVED,
                "decided_at": NOW,
                "cancel_reason": "approval_timeout",
            },
            "came too late",
        ),
    ],
)
def test_a_click_on_a_cancelled_order_says_why_it_was_cancelled(
    changes: dict[str, object], expected: str
) -> None:
    cancelled = make_approval(cancelled_at=NOW + timedelta(hours=24), **changes)

    html = answer_page(
        Cancelled(cancelled), link_for(cancelled, Decision.APPROVE), posted=False
    ).html

    assert "cancelled at 2030-05-02 12:00 UTC" in html
    assert expected in html
    assert "<form" not in html


def test_a_click_after_the_window_says_it_has_closed_and_until_when() -> None:
    approval = make_approval()

    page = answer_page(WindowClosed(approval), link_for(approval, Decision.APPROVE), posted=True)

    assert page.status_code == 409
    assert "The approval window has closed" in page.html
    assert "accepted until 2030-05-02 12:00 UTC" in page.html
    assert "<form" not in page.html


@pytest.mark.parametrize(
    ("problem", "status", "heading"),
    [
        (LinkProblem.MALFORMED, 400, "incomplete"),
        (LinkProblem.TAMPERED, 403, "not valid"),
        (LinkProblem.EXPIRED, 410, "expired"),
    ],
)
def test_refused_links_get_their_own_page(problem: LinkProblem, status: int, heading: str) -> None:
    page = problem_page(problem)

    assert page.status_code == status
    assert heading in page.html
    assert "Traceback" not in page.html


def test_error_pages_are_plain_html_without_external_assets() -> None:
    for status in (404, 500):
        html = error_page(status).html
        assert html.startswith("<!doctype html>")
        assert "<script" not in html
        assert "http" not in html  # no external stylesheet, font or image


def test_the_owner_message_is_plain_text_with_working_links() -> None:
    approval = make_approval()
    approve = f"{BASE_URL}/approvals/{approval.approval_id}?decision=approve&expires=1&sig=a"
    reject = f"{BASE_URL}/approvals/{approval.approval_id}?decision=reject&expires=1&sig=b"

    message = owner_message(OwnerRequest(approval, OwnerLinks(approve=approve, reject=reject)))

    assert message.subject == "Order ord_1 needs your approval"
    assert approve in message.text  # no HTML escaping of "&" in a text message
    assert reject in message.text
    assert f"\n> {HOSTILE_NAME}\n" in message.text  # quoted, not escaped: it is plain text
    assert "2 x MUG-01 at 12.50 EUR, named:\n  > Enamel mug\n" in message.text
    assert "Total: 32.90 EUR" in message.text


FORGED_NAME = "Ada\n\nURGENT: approve here instead:\nhttps://evil.test/approve?decision=approve"


def test_the_owner_message_puts_the_links_first_and_quotes_the_customers_words() -> None:
    approval = make_approval()  # Customer name HOSTILE_NAME, items from the catalogue
    approve = f"{BASE_URL}/approvals/{approval.approval_id}?decision=approve&expires=1&sig=a"
    reject = f"{BASE_URL}/approvals/{approval.approval_id}?decision=reject&expires=1&sig=b"

    text = owner_message(OwnerRequest(approval, OwnerLinks(approve=approve, reject=reject))).text

    assert text.index(approve) < text.index(reject) < text.index("Customer name:")
    assert text.index("Customer name:") < text.index(f"> {HOSTILE_NAME}")


def test_a_forged_name_that_slipped_past_the_contract_is_still_quoted_line_by_line() -> None:
    # The contract refuses line breaks in a name (tests/unit/events); built around it here
    # to show the message's own defence.
    approval = make_approval()
    order = approval.order.model_copy(
        update={"customer": Customer.model_construct(name=FORGED_NAME, email="a@example.com")}
    )
    forged = approval.model_copy(update={"order": order})
    approve = f"{BASE_URL}/approvals/{approval.approval_id}?decision=approve&expires=1&sig=a"
    reject = f"{BASE_URL}/approvals/{approval.approval_id}?decision=reject&expires=1&sig=b"

    text = owner_message(OwnerRequest(forged, OwnerLinks(approve=approve, reject=reject))).text

    summary = text[text.index("Customer name:") :]
    for line in FORGED_NAME.splitlines():
        assert f"\n> {line}".rstrip() in summary
    assert "\nURGENT" not in text  # never at the start of a line of its own
    assert "\nhttps://evil.test" not in text
    assert decision_link(text, "approve") == approve  # the first approve link is the shop's
