"""The local gateway's JWT authorizer refuses what API Gateway's refuses, and hands over the
claims the way payload 2.0 does. Tokens here are signed with keys made for the test."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from local.jwt_authorizer import JwtAuthorizer, Refused, unauthorized

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test"
CLIENT_ID = "storefront-client"
NOW = 1_796_000_000
KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256", "use": "sig"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256"})


def _jwks() -> dict[str, Any]:
    return {"keys": [KEY.as_dict(private=False)]}


def _authorizer(fetches: list[str] | None = None) -> JwtAuthorizer:
    def fetch(url: str) -> dict[str, Any]:
        (fetches if fetches is not None else []).append(url)
        return _jwks()

    return JwtAuthorizer(
        issuer=ISSUER,
        audience=(CLIENT_ID,),
        jwks_url=f"{ISSUER}/.well-known/jwks.json",
        fetch=fetch,
        clock=lambda: NOW,
    )


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "iss": ISSUER,
        "sub": "customer-1",
        "aud": CLIENT_ID,
        "token_use": "id",
        "email": "ada@example.com",
        "email_verified": True,
        "iat": NOW - 10,
        "exp": NOW + 3600,
        "cognito:groups": ["vip", "beta"],
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _token(claims: dict[str, Any], key: RSAKey = KEY, header: dict[str, Any] | None = None) -> str:
    return jwt.encode(header or {"alg": "RS256", "kid": "key-1"}, claims, key)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _authorize(token: str, scheme: str = "Bearer ") -> dict[str, Any]:
    return _authorizer().authorize({"Authorization": scheme + token})


def test_a_valid_id_token_passes_with_claims_as_api_gateway_hands_them_over() -> None:
    context = _authorize(_token(_claims()))

    claims = context["jwt"]["claims"]
    assert claims["sub"] == "customer-1"
    assert claims["email_verified"] == "true"
    assert claims["exp"] == str(NOW + 3600)
    assert claims["cognito:groups"] == "[vip beta]"
    assert context["jwt"]["scopes"] is None


def test_the_bearer_prefix_is_optional_and_scopes_are_split() -> None:
    context = _authorize(_token(_claims(scope="orders/read orders/write")), scheme="")

    assert context["jwt"]["scopes"] == ["orders/read", "orders/write"]


def test_an_access_token_passes_on_its_client_id_as_api_gateway_lets_it() -> None:
    # API Gateway checks client_id when there is no aud, and ignores token_use: the function
    # refuses access tokens itself (services.orders.identity).
    token = _token(_claims(aud=None, client_id=CLIENT_ID, token_use="access"))

    assert _authorize(token)["jwt"]["claims"]["token_use"] == "access"


def _none_token() -> str:
    return f"{_b64({'alg': 'none', 'kid': 'key-1'})}.{_b64(_claims())}."


def _hs256_token() -> str:
    # Signed with the public key's text as an HMAC secret: the classic algorithm confusion.
    from joserfc.jwk import OctKey  # noqa: PLC0415

    secret = OctKey.import_key(json.dumps(KEY.as_dict(private=False)).encode())
    return jwt.encode({"alg": "HS256", "kid": "key-1"}, _claims(), secret)


def _tampered_token() -> str:
    header, _, signature = _token(_claims()).split(".")
    return f"{header}.{_b64(_claims(sub='someone-else'))}.{signature}"


REFUSED = {
    "expired": lambda: _token(_claims(exp=NOW - 1)),
    "expires now": lambda: _token(_claims(exp=NOW)),
    "no expiry": lambda: _token(_claims(exp=None)),
    "not yet valid": lambda: _token(_claims(nbf=NOW + 60)),
    "issued in the future": lambda: _token(_claims(iat=NOW + 60)),
    "wrong issuer": lambda: _token(_claims(iss=ISSUER + "x")),
    "no issuer": lambda: _token(_claims(iss=None)),
    "wrong audience": lambda: _token(_claims(aud="another-client")),
    "aud wins over a right client_id": lambda: _token(
        _claims(aud="another-client", client_id=CLIENT_ID)
    ),
    "no audience at all": lambda: _token(_claims(aud=None)),
    "alg none": _none_token,
    "alg HS256 with the public key": _hs256_token,
    "re-signed with another key": lambda: _token(_claims(), key=OTHER_KEY),
    "unknown kid": lambda: _token(_claims(), header={"alg": "RS256", "kid": "key-2"}),
    "no kid": lambda: _token(_claims(), header={"alg": "RS256"}),
    "payload changed after signing": _tampered_token,
    "not a JWT": lambda: "not-a-jwt",
    "empty": lambda: "",
}


@pytest.mark.parametrize("make_token", REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_token_is_refused(make_token: Any) -> None:
    with pytest.raises(Refused):
        _authorize(make_token())


def test_no_authorization_header_is_refused() -> None:
    with pytest.raises(Refused, match="no token"):
        _authorizer().authorize({})


def test_a_refusal_is_api_gateways_401() -> None:
    status, headers, body = unauthorized("the token has expired")

    assert status == 401
    assert json.loads(body) == {"message": "Unauthorized"}
    assert headers["www-authenticate"].startswith('Bearer scope="" error="invalid_token"')


def test_the_jwks_is_fetched_once_then_reused() -> None:
    fetches: list[str] = []
    authorizer = _authorizer(fetches)

    for _ in range(3):
        authorizer.authorize({"authorization": "Bearer " + _token(_claims())})
    with pytest.raises(Refused):
        authorizer.authorize(
            {"authorization": "Bearer " + _token(_claims(), header={"alg": "RS256", "kid": "new"})}
        )

    assert fetches == [f"{ISSUER}/.well-known/jwks.json"]  # a fresh JWKS is not due yet


def test_tokens_expire_by_the_real_clock_too() -> None:
    authorizer = JwtAuthorizer(
        issuer=ISSUER, audience=(CLIENT_ID,), jwks_url="unused", fetch=lambda _: _jwks()
    )
    token = _token(_claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600))

    with pytest.raises(Refused):
        authorizer.authorize({"authorization": f"Bearer {token}"})
