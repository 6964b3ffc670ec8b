"""Hostile tokens against the orders API, through the local gateway's JWT authorizer and moto's
Cognito: whatever the token, the answer is 401, 403 or 404 (never a 5xx, never someone else's
order) and nothing changes: no order, no idempotency record, no event, no email.

Tokens with bad claims are forged with moto's own signing key (published in moto's package),
so they fail on the claim the test means, not on the signature.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import RSAKey
from moto.utilities.utils import load_resource

from local.customers import bearer
from local.http_events import HttpResponse
from local.settings import LocalStackSettings
from local.stack import LocalStack
from tests.property.conftest import hostile_settings
from tests.support.customers import PASSWORD, signed_in
from tests.support.polling import wait_until

MOTO_KEY = RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "dummy", "alg": "RS256"})
UNAUTHORIZED = {"message": "Unauthorized"}
ITEMS = [{"sku": "MUG-01", "quantity": 1}]  # priced from the local sample catalogue
BODY = json.dumps({"items": ITEMS}).encode()
MISSING_ORDER = "ord_0123456789abcdef0123456789abcdef"


def _claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return claims


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@dataclass
class Shop:
    stack: LocalStack
    ada_token: str  # a genuine id token
    ada_access_token: str
    ada_order: str
    grace: dict[str, str]  # another customer's Authorization header
    unverified: dict[str, str]  # a customer whose email is not verified

    def send(self, method: str, path: str, headers: dict[str, str]) -> HttpResponse:
        body = BODY if method == "POST" else b""
        headers = {"content-type": "application/json", **headers}
        return self.stack.router.request(method, path, headers=headers, body=body)

    def state(self) -> tuple[int, int]:
        """How many orders and idempotency records are stored."""
        dynamodb = self.stack.client("dynamodb")
        tables = self.stack.provisioned["orders"].tables
        return tuple(  # type: ignore[return-value]
            int(dynamodb.scan(TableName=tables[t], Select="COUNT")["Count"])
            for t in ("orders", "idempotency")
        )

    def forged(
        self, header: dict[str, Any] | None = None, key: RSAKey = MOTO_KEY, **claims: Any
    ) -> str:
        """Ada's id token with ``claims`` changed (None removes one), signed by ``key``."""
        changed = {**_claims_of(self.ada_token), **claims}
        changed = {name: value for name, value in changed.items() if value is not None}
        return jwt.encode(header or {"alg": "RS256", "kid": "dummy"}, changed, key)


@pytest.fixture
def shop(aws: None) -> Iterator[Shop]:
    stack = LocalStack(
        LocalStackSettings(
            prefix="shop-hostile",
            approval_window_seconds=900,  # nothing times out while the attacks run
            visibility_timeout_seconds=1,
        )
    )
    stack.start()
    customers = stack.customers()
    ada = signed_in(customers, "ada@example.com", "Ada Lovelace")
    tokens = customers.sign_in("ada@example.com", PASSWORD)
    customers.add("ulla@example.com", "Ulla Unverified", PASSWORD, email_verified=False)
    placed = stack.router.request(
        "POST", "/orders", headers={"content-type": "application/json", **ada}, body=BODY
    )
    assert placed.status == 201, placed.text
    order_id = str(placed.json()["order_id"])
    # Ada's order has had its email and its owner's message: from now on, all is quiet.
    wait_until(stack.mailbox.owner_messages, what="the owner's message")
    wait_until(lambda: stack.mailbox.emails_to("ada@example.com"), what="Ada's email")
    stack.wait_until_idle()
    try:
        yield Shop(
            stack=stack,
            ada_token=tokens["IdToken"],
            ada_access_token=tokens["AccessToken"],
            ada_order=order_id,
            grace=signed_in(customers, "grace@example.com", "Grace Hopper"),
            unverified=bearer(customers.id_token("ulla@example.com", PASSWORD)),
        )
    finally:
        stack.stop()


# --- the attacks -------------------------------------------------------------------------

Forge = Callable[[Shop], dict[str, str]]
SECONDS = st.integers(min_value=5, max_value=10**8)
ISSUERS = st.one_of(
    st.sampled_from(
        [
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other",
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other",
            "http://cognito-idp.us-east-1.amazonaws.com/",
            "https://evil.test",
            "",
        ]
    ),
    st.text(max_size=80),
)


def _with_header(value: st.SearchStrategy[str]) -> st.SearchStrategy[Forge]:
    return value.map(lambda text: lambda _: {"authorization": text})


def _forged(**claims: st.SearchStrategy[Any]) -> st.SearchStrategy[Forge]:
    return st.fixed_dictionaries(claims).map(
        lambda values: lambda shop: bearer(shop.forged(**values))
    )


def _timed(claim: str, sign: int) -> st.SearchStrategy[Forge]:
    """Ada's token with ``claim`` set that many seconds from the moment it is sent."""
    return SECONDS.map(
        lambda seconds: (
            lambda shop: bearer(shop.forged(**{claim: int(time.time()) + sign * seconds}))
        )
    )


def _alg_none(shop: Shop) -> dict[str, str]:
    _, payload, _ = shop.ada_token.split(".")
    return bearer(f"{_b64({'alg': 'none', 'kid': 'dummy'})}.{payload}.")


def _tampered(shop: Shop) -> dict[str, str]:
    header, _, signature = shop.ada_token.split(".")
    claims = {**_claims_of(shop.ada_token), "sub": str(uuid.uuid4())}
    return bearer(f"{header}.{_b64(claims)}.{signature}")


# Tokens API Gateway's authorizer refuses (401 before the function runs), and the one it lets
# through that the function refuses itself (an access token): 401 on every route.
NOT_SIGNED_IN: dict[str, st.SearchStrategy[Forge]] = {
    "no token": st.just(lambda _: {}),
    "not a token": _with_header(st.text(max_size=200)),
    "bearer and junk": _with_header(st.text(max_size=200).map("Bearer {}".format)),
    "expired": _timed("exp", -1),
    "not yet valid": _timed("nbf", +1),
    "issued in the future": _timed("iat", +1),
    "no expiry": _forged(exp=st.none()),
    "wrong issuer": _forged(iss=ISSUERS),
    "wrong audience": _forged(aud=st.text(max_size=40)),
    "audience as a list without ours": _forged(aud=st.lists(st.text(max_size=20), max_size=3)),
    "alg none": st.just(_alg_none),
    "alg HS256 keyed with the public key": st.just(lambda shop: bearer(_hs256(shop))),
    "re-signed with another key": st.just(lambda shop: bearer(shop.forged(key=OTHER_KEY))),
    "unknown kid": st.just(
        lambda shop: bearer(shop.forged(header={"alg": "RS256", "kid": "other"}))
    ),
    "payload changed after signing": st.just(_tampered),
    "access token for an id token": st.just(lambda shop: bearer(shop.ada_access_token)),
    "id token claiming to be an access token": _forged(token_use=st.just("access")),
}


def _hs256(shop: Shop) -> str:
    # The public key's JSON as an HMAC secret: the classic algorithm-confusion forgery.
    from joserfc.jwk import OctKey  # noqa: PLC0415

    public = json.dumps(MOTO_KEY.as_dict(private=False)).encode()
    claims = _claims_of(shop.ada_token)
    return jwt.encode({"alg": "HS256", "kid": "dummy"}, claims, OctKey.import_key(public))


ROUTES = st.sampled_from(["POST /orders", "GET /orders", "GET /orders/{ada}"])


@dataclass(frozen=True)
class Attack:
    kind: str
    forge: Forge
    route: str


ATTACKS = st.one_of(
    *(st.builds(Attack, st.just(kind), forge, ROUTES) for kind, forge in NOT_SIGNED_IN.items()),
    st.builds(
        Attack,
        st.just("unverified email"),
        st.just(lambda s: s.unverified),
        st.just("POST /orders"),
    ),
    st.builds(
        Attack,
        st.just("another customer"),
        st.just(lambda s: s.grace),
        st.sampled_from(["GET /orders/{ada}", "GET /orders"]),
    ),
)


def test_hostile_tokens_never_get_in_and_change_nothing(shop: Shop) -> None:
    before = shop.state()
    events_before = len(shop.stack.tap.collect())
    mail_before = len(shop.stack.mailbox.items())
    missing = shop.send("GET", f"/orders/{MISSING_ORDER}", shop.grace)

    @hostile_settings(max_examples=120)
    @given(attack=ATTACKS)
    def attack_once(attack: Attack) -> None:
        method, _, path = attack.route.partition(" ")
        response = shop.send(method, path.format(ada=shop.ada_order), attack.forge(shop))

        assert response.status < 500, response.text
        assert shop.state() == before
        if attack.kind == "unverified email":
            assert response.status == 403
            assert "not verified" in response.json()["message"]
        elif attack.kind == "another customer" and path == "/orders":
            assert response.status == 200
            assert shop.ada_order not in response.text
        elif attack.kind == "another customer":
            # Exactly what a missing order gets: an order id reveals nothing.
            assert (response.status, response.body) == (404, missing.body)
        else:
            assert response.status == 401
            assert response.json() == UNAUTHORIZED
            assert shop.ada_order not in response.text

    attack_once()

    # Then no event and no email came of any of it: an order Grace places now is the next
    # thing on the bus and in the mailbox (the outbox publishes in stream order).
    placed = shop.send("POST", "/orders", shop.grace)
    assert placed.status == 201
    sentinel = str(placed.json()["order_id"])
    wait_until(lambda: shop.stack.mailbox.emails_to("grace@example.com"), what="Grace's email")
    shop.stack.wait_until_idle()
    new_events = shop.stack.tap.collect()[events_before:]
    assert {e.order_id for e in new_events} == {sentinel}
    mail = shop.stack.mailbox.items()
    assert len(mail) - mail_before == len([m for m in mail if sentinel in m.subject + m.body])
