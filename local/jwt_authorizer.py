"""API Gateway's JWT authorizer, emulated for the local gateway, with joserfc doing the JOSE.

It checks what the HTTP API's authorizer checks (see "Control access to HTTP APIs with JWT
authorizers" in the API Gateway guide), in the same order, and answers the same way:

- the ``Authorization`` header holds the token, optionally prefixed with ``Bearer``;
- the header's ``kid`` names a key of the issuer's JWKS and the signature verifies with it,
  under an allow-list of RSA algorithms (``none`` or HMAC can never pass);
- ``iss`` is the configured issuer; ``aud`` is the audience, or ``client_id`` when the token
  has no ``aud``; ``exp`` is in the future, ``nbf`` and ``iat`` are not.

A refused request gets 401 ``{"message":"Unauthorized"}`` and a ``www-authenticate`` header;
the function is not invoked. An accepted one carries ``requestContext.authorizer.jwt`` with
the claims as strings and the scopes, as payload 2.0 delivers them. API Gateway does not look
at ``token_use``: the function does (an access token of the same client passes here too).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

log = logging.getLogger("shop.local.authorizer")

ALGORITHMS = ("RS256",)  # what Cognito signs with; API Gateway accepts only RSA
JWKS_REFRESH_SECONDS = 60.0  # an unknown kid refetches the JWKS at most this often
UNAUTHORIZED_BODY = b'{"message":"Unauthorized"}'

JwksFetcher = Callable[[str], dict[str, Any]]


class Refused(Exception):
    """The token does not authorize the request; ``reason`` goes to ``www-authenticate``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fetch_jwks(url: str) -> dict[str, Any]:
    """The issuer's JWKS over HTTP (``requests``: moto's in-process mock intercepts it too)."""
    response = requests.get(url, timeout=10)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


@dataclass
class JwtAuthorizer:
    issuer: str
    audience: tuple[str, ...]
    jwks_url: str
    fetch: JwksFetcher = fetch_jwks
    clock: Callable[[], float] = time.time
    _keys: KeySet | None = field(default=None, init=False, repr=False)
    _fetched_at: float = field(default=0.0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def authorize(self, headers: dict[str, str]) -> dict[str, Any]:
        """The ``requestContext.authorizer`` of an accepted request; raises ``Refused``."""
        token = _bearer_token(headers)
        try:
            kid = jws.extract_compact(token.encode()).headers().get("kid")
        except (JoseError, ValueError, UnicodeError):
            raise Refused("the token is not a valid JWT") from None
        if not isinstance(kid, str):
            raise Refused("the token has no valid kid")
        try:
            claims = jwt.decode(token, self._key_for(kid), algorithms=list(ALGORITHMS)).claims
        except (JoseError, ValueError, UnicodeError):
            raise Refused("the token signature is invalid") from None
        self._check_claims(claims)
        return {"jwt": {"claims": _as_strings(claims), "scopes": _scopes(claims)}}

    def _check_claims(self, claims: dict[str, Any]) -> None:
        registry = jwt.JWTClaimsRegistry(
            now=lambda: int(self.clock()),
            iss={"essential": True, "value": self.issuer},
            exp={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError as error:
            raise Refused(f"the token is not valid: {error.error}") from None
        # API Gateway evaluates aud when present and client_id only without it.
        audience = claims.get("aud", claims.get("client_id"))
        audiences = audience if isinstance(audience, list) else [audience]
        if not any(isinstance(a, str) and a in self.audience for a in audiences):
            raise Refused("the token does not have a valid audience")

    def _key_for(self, kid: str) -> Any:
        with self._lock:
            keys = self._keys
            stale = self.clock() - self._fetched_at > JWKS_REFRESH_SECONDS
            if keys is None or (stale and not _has_kid(keys, kid)):
                keys = self._keys = KeySet.import_key_set(self.fetch(self.jwks_url))  # type: ignore[arg-type]
                self._fetched_at = self.clock()
        if not _has_kid(keys, kid):
            raise Refused("the token's kid names no key of the issuer")
        return keys.get_by_kid(kid)


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(key.kid == kid for key in keys)


def _bearer_token(headers: dict[str, str]) -> str:
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "").strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    if not value:
        raise Refused("no token")
    return value


def _as_strings(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway hands them over: every value a string (``"true"``, ``"1700000000"``,
    a list as ``"[a b]"``)."""
    return {name: _claim_text(value) for name, value in claims.items()}


def _claim_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_claim_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _scopes(claims: dict[str, Any]) -> list[str] | None:
    scope = claims.get("scope", claims.get("scp"))
    if isinstance(scope, str):
        return scope.split()
    if isinstance(scope, list):
        return [str(s) for s in scope]
    return None  # an id token has none: payload 2.0 says null


def unauthorized(reason: str) -> tuple[int, dict[str, str], bytes]:
    """API Gateway's answer to a refused token."""
    challenge = f'Bearer scope="" error="invalid_token" error_description="{reason}"'
    return (
        401,
        {"content-type": "application/json", "www-authenticate": challenge},
        (UNAUTHORIZED_BODY),
    )
