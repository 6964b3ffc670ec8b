"""Signed owner links: only an untouched, unexpired link made with our key is accepted."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.approvals.links import (
    LinkProblem,
    LinkSigner,
    RefusedLink,
    SigningKey,
    VerifiedLink,
    new_approval_id,
)
from services.approvals.models import Decision
from tests.unit.approvals.fakes import BASE_URL, KEY, NOW, OTHER_KEY, StaticKeyring

SIGNER = LinkSigner(StaticKeyring(KEY))
APPROVAL_ID = "Zq3x9bWc0Yp1LrT5uVn7KsAe2Dg4Hj6M"
EXPIRES = int((NOW + timedelta(days=8)).timestamp())


def parts(url: str) -> tuple[str, dict[str, str]]:
    """The approval id (last path segment) and the query parameters of a link."""
    split = urlsplit(url)
    return split.path.rsplit("/", 1)[1], dict(parse_qsl(split.query))


def link(
    decision: Decision = Decision.APPROVE, expires: int = EXPIRES
) -> tuple[str, dict[str, str]]:
    return parts(SIGNER.url(BASE_URL, APPROVAL_ID, decision, expires))


def test_a_signed_link_verifies_with_what_it_was_made_for() -> None:
    url = SIGNER.url(BASE_URL, APPROVAL_ID, Decision.REJECT, EXPIRES)
    assert url.startswith(f"{BASE_URL}/approvals/{APPROVAL_ID}?decision=reject&expires=")
    assert f"&kid={KEY.kid}&sig=" in url

    approval_id, params = parts(url)
    check = SIGNER.verify(approval_id, params, NOW)

    assert isinstance(check, VerifiedLink)
    assert (check.approval_id, check.decision, check.expires) == (
        APPROVAL_ID,
        Decision.REJECT,
        EXPIRES,
    )


def test_the_same_link_is_signed_the_same_way_every_time() -> None:
    # Lets a redelivered request re-send exactly the links the owner may already hold.
    assert SIGNER.url(BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES) == SIGNER.url(
        BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES
    )


def _flip(text: str) -> str:
    return ("B" if text[0] == "A" else "A") + text[1:]


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("approval_id", _flip),
        ("decision", lambda _: "reject"),
        ("expires", lambda value: str(int(value) + 1)),
        ("expires", lambda value: str(int(value) * 10)),
        ("sig", _flip),
        ("sig", lambda value: value[:-1] + ("A" if value[-1] != "A" else "B")),
    ],
)
def test_changing_any_single_part_is_tampering(field: str, change: Callable[[str], str]) -> None:
    approval_id, params = link()
    if field == "approval_id":
        approval_id = change(approval_id)
    else:
        params[field] = change(params[field])

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.TAMPERED)


def test_a_leading_zero_expiry_is_refused_though_it_names_the_signed_number() -> None:
    approval_id, params = link()
    params["expires"] = "0" + params["expires"]

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.MALFORMED)


def test_a_link_signed_with_the_previous_key_verifies_after_a_rotation() -> None:
    keys = StaticKeyring(KEY)
    signer = LinkSigner(keys)
    approval_id, params = parts(signer.url(BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES))

    keys.rotate(SigningKey("v-next", b"n" * 32))
    fresh_id, fresh = parts(signer.url(BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES))

    assert params["kid"] == "v-current"
    assert fresh["kid"] == "v-next"
    assert isinstance(signer.verify(approval_id, params, NOW), VerifiedLink)
    assert isinstance(signer.verify(fresh_id, fresh, NOW), VerifiedLink)


def test_a_link_signed_two_rotations_ago_is_refused() -> None:
    keys = StaticKeyring(KEY)
    signer = LinkSigner(keys)
    approval_id, params = parts(signer.url(BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES))

    keys.rotate(SigningKey("v-next", b"n" * 32))
    keys.rotate(SigningKey("v-after", b"a" * 32))

    assert signer.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.TAMPERED)


def test_a_link_naming_the_previous_key_but_signed_with_the_current_is_tampering() -> None:
    # The key id is covered by the MAC: relabelling a link cannot move it to another key.
    keys = StaticKeyring(KEY)
    signer = LinkSigner(keys)
    keys.rotate(SigningKey("v-next", b"n" * 32))
    approval_id, params = parts(signer.url(BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES))

    params["kid"] = "v-current"

    assert signer.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.TAMPERED)


def test_a_link_signed_with_another_key_is_tampering() -> None:
    forged = LinkSigner(StaticKeyring(OTHER_KEY)).url(
        BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES
    )
    approval_id, params = parts(forged)

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.TAMPERED)


def test_a_link_past_its_expiry_is_expired() -> None:
    approval_id, params = link(expires=int(NOW.timestamp()) - 1)

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.EXPIRED)
    # Up to and including its last second the link still works.
    assert isinstance(SIGNER.verify(approval_id, params, NOW - timedelta(seconds=1)), VerifiedLink)


def test_an_expired_and_forged_link_reads_as_forged() -> None:
    approval_id, params = link(expires=int(NOW.timestamp()) - 1)
    params["sig"] = _flip(params["sig"])

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.TAMPERED)


@pytest.mark.parametrize("keep", [0, 1, 10, 42])
def test_a_truncated_signature_is_tampering(keep: int) -> None:
    approval_id, params = link()
    params["sig"] = params["sig"][:keep]
    expected = LinkProblem.MALFORMED if keep == 0 else LinkProblem.TAMPERED

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(expected)


@pytest.mark.parametrize("decision", ["approved", "APPROVE", "", "yes", "approve,reject"])
def test_a_decision_we_never_sign_is_malformed(decision: str) -> None:
    approval_id, params = link()
    params["decision"] = decision

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.MALFORMED)


@pytest.mark.parametrize("expires", ["", "-1", "1e9", " 123", "١٢٣", "9" * 13, "12.5", "+12"])
def test_an_unreadable_expiry_is_malformed(expires: str) -> None:
    approval_id, params = link()
    params["expires"] = expires

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.MALFORMED)


@pytest.mark.parametrize("missing", ["decision", "expires", "kid", "sig"])
def test_a_link_missing_a_part_is_malformed(missing: str) -> None:
    approval_id, params = link()
    del params[missing]

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.MALFORMED)


@pytest.mark.parametrize(
    "approval_id", ["", "short", "order#ord_1", "../../etc", "a" * 129, "Zq3x9bWc0Yp1LrT5 uVn"]
)
def test_an_impossible_approval_id_is_malformed(approval_id: str) -> None:
    _, params = link()

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.MALFORMED)


def test_a_non_ascii_signature_is_refused_not_crashed_on() -> None:
    approval_id, params = link()
    params["sig"] = "é" * len(params["sig"])

    assert SIGNER.verify(approval_id, params, NOW) == RefusedLink(LinkProblem.TAMPERED)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        LinkSigner(StaticKeyring(SigningKey("v-short", b"too short"))).url(
            BASE_URL, APPROVAL_ID, Decision.APPROVE, EXPIRES
        )


def test_approval_ids_are_long_random_url_safe_references() -> None:
    ids = {new_approval_id() for _ in range(1000)}

    assert len(ids) == 1000
    # At least 128 bits: 22 base64url characters carry 132.
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,}", approval_id) for approval_id in ids)


@given(
    field=st.sampled_from(["approval_id", "decision", "expires", "kid", "sig"]),
    value=st.text(max_size=80),
)
def test_no_changed_link_is_ever_accepted(field: str, value: str) -> None:
    approval_id, params = link()
    original = (approval_id, dict(params))
    if field == "approval_id":
        approval_id = value
    else:
        params[field] = value

    check = SIGNER.verify(approval_id, params, NOW)

    if (approval_id, params) != original:
        assert isinstance(check, RefusedLink)
