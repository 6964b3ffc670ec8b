"""Signing and verifying the owner's Approve / Reject links.

A link is ``{base}/approvals/{approval_id}?decision=approve&expires=<unix s>&sig=<mac>``.
The MAC (HMAC-SHA256, base64url without padding) covers a versioned, domain-separated
canonical string of the approval id, the decision and the expiry, so no part of the link can
be changed without the key. The approval id is an opaque random reference: the link never
carries the task token or anything else an attacker could use elsewhere.

Verification is pure (the key and the clock come in) and answers with a typed result; the
signature is checked before the expiry so an expired *and* forged link reads as forged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from urllib.parse import quote, urlencode

from services.approvals.models import Decision

# Bumped if the canonical string ever changes, so old and new MACs can never collide.
_CANONICAL_PREFIX = "shop-workflow/approval-link/v1"
APPROVAL_ID_BYTES = 24  # 192 bits of randomness
MIN_KEY_BYTES = 32
_APPROVAL_ID = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
_EXPIRES = re.compile(r"^[0-9]{1,12}$")  # ASCII digits only; bounded so int() stays cheap
_DECISIONS = {d.value: d for d in Decision}

KeyProvider = Callable[[], bytes]


def new_approval_id() -> str:
    return secrets.token_urlsafe(APPROVAL_ID_BYTES)


class LinkProblem(Enum):
    """Why a link was refused, with the HTTP status its page is served with."""

    MALFORMED = 400
    TAMPERED = 403
    EXPIRED = 410

    @property
    def status_code(self) -> int:
        return int(self.value)


@dataclass(frozen=True)
class VerifiedLink:
    approval_id: str
    decision: Decision
    expires: int
    signature: str  # echoed into the confirmation form, never logged


@dataclass(frozen=True)
class RefusedLink:
    problem: LinkProblem


LinkCheck = VerifiedLink | RefusedLink


class LinkSigner:
    """Signs and verifies links with a key it asks for on each use (so rotation and caching
    stay with the key's owner)."""

    def __init__(self, key: KeyProvider) -> None:
        self._key = key

    def signature(self, approval_id: str, decision: Decision, expires: int) -> str:
        key = self._key()
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the link-signing key must be at least {MIN_KEY_BYTES} bytes")
        mac = hmac.new(key, _canonical(approval_id, decision, expires), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")

    def url(self, base_url: str, approval_id: str, decision: Decision, expires: int) -> str:
        query = urlencode(
            {
                "decision": decision.value,
                "expires": str(expires),
                "sig": self.signature(approval_id, decision, expires),
            }
        )
        return f"{base_url.rstrip('/')}/approvals/{quote(approval_id, safe='')}?{query}"

    def verify(self, approval_id: str, params: Mapping[str, str], now: datetime) -> LinkCheck:
        """Check a link's parts: ``params`` holds ``decision``, ``expires`` and ``sig`` (from
        the query string for a GET, the form for a POST)."""
        decision = _DECISIONS.get(params.get("decision", ""))
        expires_text = params.get("expires", "")
        sig = params.get("sig", "")
        if (
            not _APPROVAL_ID.fullmatch(approval_id)
            or decision is None
            or not _EXPIRES.fullmatch(expires_text)
            or not sig
        ):
            return RefusedLink(LinkProblem.MALFORMED)
        expires = int(expires_text)
        expected = self.signature(approval_id, decision, expires)
        # Constant time, on bytes: a non-ASCII or truncated signature simply does not match.
        if not hmac.compare_digest(expected.encode("ascii"), sig.encode("utf-8")):
            return RefusedLink(LinkProblem.TAMPERED)
        if now.timestamp() > expires:
            return RefusedLink(LinkProblem.EXPIRED)
        return VerifiedLink(approval_id, decision, expires, sig)


def _canonical(approval_id: str, decision: Decision, expires: int) -> bytes:
    # Newline-separated: none of the fields can contain one (the id is checked first).
    return f"{_CANONICAL_PREFIX}\n{approval_id}\n{decision.value}\n{expires}".encode("ascii")
