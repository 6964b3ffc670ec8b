"""Opening or posting a link in one call: a refused link changes nothing, and a decision
that could not be published is offered again instead of lost."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

from events.models import OrderApproved
from services.approvals.domain.answering import (
    Answered,
    DecisionDependencies,
    open_link,
    post_decision,
)
from services.approvals.domain.answers import (
    AlreadyDecided,
    AwaitingConfirmation,
    DecisionRecorded,
    NotPublished,
)
from services.approvals.links import LinkProblem, LinkSigner, RefusedLink
from services.approvals.models import Approval, ApprovalStatus, Decision
from tests.unit.approvals.fakes import (
    BASE_URL,
    KEY,
    LATER,
    NOW,
    FlakyPublisher,
    InMemoryApprovalStore,
    StaticKeyring,
)

SIGNER = LinkSigner(StaticKeyring(KEY))


def link_params(approval: Approval, decision: Decision) -> dict[str, str]:
    expires = int((NOW + timedelta(days=1)).timestamp())
    url = SIGNER.url(BASE_URL, approval.approval_id, decision, expires)
    return dict(parse_qsl(urlsplit(url).query))


def deps(store: InMemoryApprovalStore, publisher: FlakyPublisher) -> DecisionDependencies:
    return DecisionDependencies(store=store, publisher=publisher, signer=SIGNER)


def test_a_tampered_link_is_refused_and_records_nothing(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    params = link_params(approval, Decision.APPROVE) | {"decision": "reject"}

    opened = open_link(deps(store, publisher), approval.approval_id, params, LATER)
    posted = post_decision(deps(store, publisher), approval.approval_id, params, None, LATER)

    assert opened == posted == RefusedLink(LinkProblem.TAMPERED)
    assert store.get(approval.approval_id) == approval
    assert publisher.published == []


def test_opening_a_valid_link_shows_the_form_for_its_decision(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    params = link_params(approval, Decision.REJECT)

    opened = open_link(deps(store, publisher), approval.approval_id, params, LATER)

    assert isinstance(opened, Answered)
    assert opened.answer == AwaitingConfirmation(approval, Decision.REJECT)
    assert store.get(approval.approval_id) == approval


def test_a_decision_not_published_is_offered_again_with_its_comment_and_then_published(
    store: InMemoryApprovalStore, publisher: FlakyPublisher, approval: Approval
) -> None:
    publisher.failures = 1
    params = link_params(approval, Decision.APPROVE)

    failed = post_decision(deps(store, publisher), approval.approval_id, params, "Ship it", LATER)
    other = post_decision(
        deps(store, publisher),
        approval.approval_id,
        link_params(approval, Decision.REJECT),
        None,
        LATER,
    )
    again = post_decision(deps(store, publisher), approval.approval_id, params, "Ship it", LATER)

    assert isinstance(failed, Answered)
    assert isinstance(failed.answer, NotPublished)
    assert failed.answer.comment == "Ship it"
    assert failed.answer.approval.status is ApprovalStatus.APPROVED
    assert isinstance(other, Answered)
    assert isinstance(other.answer, AlreadyDecided)
    assert isinstance(again, Answered)
    assert isinstance(again.answer, DecisionRecorded)
    [event] = publisher.published
    assert isinstance(event, OrderApproved)
    assert event.data.comment == "Ship it"
