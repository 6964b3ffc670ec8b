"""Whatever is done to an approval link, only the genuine link decides anything.

Given one pending approval on moto and its two genuine links, every link that is tampered
with (one character changed), cut short, signed with another key, expired, or carries a
decision that does not exist, and any query string or form body at all, is answered with a
page (400, 403, 404 or 410; never a 5xx or an exception) and changes nothing: the approvals
table is as it was and no event reaches the bus, whether the link is opened (GET) or
confirmed (POST). The last test shows the same harness does see a genuine decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from events.models import Comment, utc_now
from local.http_events import HttpResponse
from services.approvals.links import LinkSigner, SigningKey
from services.approvals.models import Decision
from tests.property.conftest import DecisionPage, hostile_settings
from tests.unit.approvals.fakes import StaticKeyring

REFUSED = {400, 403, 404, 410}
DECISIONS = st.sampled_from(list(Decision))


def _publishable(comment: str) -> bool:
    try:
        TypeAdapter(Comment).validate_python(comment)
    except ValidationError:
        return not comment.strip()  # blank is no comment at all
    return True


# Comments the form accepts: one with a character the contract refuses makes the form itself
# a 400 before the link is checked, which would hide the link's own answer here.
COMMENTS = st.one_of(st.none(), st.text(max_size=40).filter(_publishable))
ODD_CHARACTERS = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from([*"%&=?#/+ ;\\\x00\n", "é", "\u202e", "💥"]),
)


def assert_refused_page(response: HttpResponse, allowed: set[int] = REFUSED) -> None:
    assert response.status in allowed, (response.status, response.text[:300])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Traceback" not in response.text


def assert_nothing_changed(page: DecisionPage, before: list[dict[str, object]]) -> None:
    assert page.items() == before
    assert page.bus_events() == []


def form_body(query: str, comment: str | None) -> bytes:
    """The confirmation form a browser would post for a link with ``query``."""
    fields = parse_qsl(query, keep_blank_values=True)
    if comment is not None:
        fields.append(("comment", comment))
    return urlencode(fields).encode()


def open_and_confirm(page: DecisionPage, link: str, comment: str | None) -> None:
    """GET the link, then POST its fields to its path; both must be refused, changing nothing."""
    before = page.items()
    split = urlsplit(link)
    assert_refused_page(page.get(split.path, split.query))
    assert_refused_page(page.post(split.path, form_body(split.query, comment)))
    assert_nothing_changed(page, before)


@st.composite
def tampered(draw: st.DrawFn, genuine: str) -> str:
    """The link with any one character replaced by another."""
    index = draw(st.integers(min_value=0, max_value=len(genuine) - 1))
    replacement = draw(ODD_CHARACTERS.filter(lambda c: c != genuine[index]))
    return genuine[:index] + replacement + genuine[index + 1 :]


@st.composite
def truncated(draw: st.DrawFn, genuine: str) -> str:
    """The link cut short anywhere (a mail client wrapping a long line does this)."""
    return genuine[: draw(st.integers(min_value=1, max_value=len(genuine) - 1))]


@st.composite
def misdecided(draw: st.DrawFn, genuine: str) -> str:
    """The genuine signature and expiry, with a decision that does not exist."""
    wrong = draw(
        st.one_of(
            st.text(max_size=20),
            st.sampled_from(["Approve", "APPROVE", "approved", "reject ", "yes", "1", "true"]),
        ).filter(lambda text: text not in {d.value for d in Decision})
    )
    split = urlsplit(genuine)
    fields = dict(parse_qsl(split.query)) | {"decision": wrong}
    return f"{split.path}?{urlencode(fields)}"


ATTACKS = {"tampered": tampered, "truncated": truncated, "misdecided": misdecided}


@hostile_settings(max_examples=90)
@given(
    choice=DECISIONS,
    attack=st.sampled_from(sorted(ATTACKS)),
    data=st.data(),
    comment=COMMENTS,
)
def test_a_tampered_truncated_or_misdecided_link_decides_nothing(
    decision_page: DecisionPage,
    choice: Decision,
    attack: str,
    data: st.DataObject,
    comment: str | None,
) -> None:
    link = data.draw(ATTACKS[attack](decision_page.link(choice)), label="link")

    open_and_confirm(decision_page, link, comment)


@hostile_settings(max_examples=50)
@given(
    choice=DECISIONS,
    key=st.binary(min_size=32, max_size=64),
    expires_in=st.integers(min_value=-(10**9), max_value=10**8),
    comment=COMMENTS,
)
def test_a_link_signed_with_another_key_is_forbidden_and_an_old_one_is_gone(
    decision_page: DecisionPage, choice: Decision, key: bytes, expires_in: int, comment: str | None
) -> None:
    assume(key != decision_page.signing_key.secret)
    now = int(utc_now().timestamp())
    expires = max(0, now + expires_in)
    forged = LinkSigner(StaticKeyring(SigningKey(decision_page.signing_key.kid, key))).url(
        "", decision_page.approval_id, choice, expires
    )
    # Signed with the real key, but its time is up: how every genuine link ends.
    expired = max(0, now - abs(expires_in) - 1)
    old = decision_page.signer.url("", decision_page.approval_id, choice, expired)

    before = decision_page.items()
    for link, status in ((forged, 403), (old, 410)):
        split = urlsplit(link)
        assert_refused_page(decision_page.get(split.path, split.query), {status})
        body = form_body(split.query, comment)
        assert_refused_page(decision_page.post(split.path, body), {status})
    assert_nothing_changed(decision_page, before)


QUERY_TEXT = st.one_of(
    st.text(max_size=200),
    st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=6).map(urlencode),
)
PATHS = st.one_of(
    st.builds("/approvals/{}".format, st.text(max_size=80)),
    st.text(max_size=60).map(lambda text: "/" + text),
)


FORM_BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.dictionaries(
        st.sampled_from(["decision", "expires", "sig", "comment", "Decision", "x"]),
        st.text(max_size=60),
        max_size=5,
    ).map(lambda fields: urlencode(fields).encode()),
    st.just(b"decision=approve&decision=reject&expires=1&sig=x"),
    st.builds(lambda n: b"comment=" + b"x" * n, st.integers(min_value=400, max_value=20_000)),
)
CONTENT_TYPES = st.sampled_from(
    ["application/x-www-form-urlencoded", "text/plain", "application/json", "multipart/form-data"]
)


@dataclass(frozen=True)
class AnyRequest:
    method: str
    path: str | None  # None: the real approval's path
    query: str
    body: bytes
    content_type: str


ANY_REQUEST = st.builds(
    AnyRequest,
    method=st.sampled_from(["GET", "POST"]),
    path=st.none() | PATHS,
    query=QUERY_TEXT,
    body=FORM_BODIES,
    content_type=CONTENT_TYPES,
)


@hostile_settings(max_examples=70)
@given(request=ANY_REQUEST)
def test_any_query_string_or_form_body_on_any_path_only_ever_shows_a_page(
    decision_page: DecisionPage, request: AnyRequest
) -> None:
    before = decision_page.items()
    where = request.path or f"/approvals/{decision_page.approval_id}"

    if request.method == "GET":
        response = decision_page.get(where, request.query)
    else:
        content_type = request.content_type
        try:
            request.body.decode("utf-8")
        except UnicodeDecodeError:
            content_type = "application/octet-stream"  # only binary bodies carry such bytes
        response = decision_page.post(where, request.body, content_type)

    # Nothing here carries a valid signature, so nothing can be decided.
    assert_refused_page(response, REFUSED | {405})
    assert_nothing_changed(decision_page, before)


def test_the_harness_sees_a_genuine_decision(decision_page: DecisionPage) -> None:
    """The control: the same checks notice the change a genuine confirmation makes."""
    split = urlsplit(decision_page.link(Decision.APPROVE))
    before = decision_page.items()

    response = decision_page.post(split.path, form_body(split.query, "ship it"))

    assert response.status == 200
    assert decision_page.items() != before
    assert decision_page.bus_events() == ["OrderApproved"]
