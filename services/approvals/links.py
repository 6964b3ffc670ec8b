"""Signing and verifying the owner's Approve / Reject links.

A link is
``{base}/approvals/{approval_id}?decision=approve&expires=<unix s>&kid=<key id>&sig=<mac>``.
The MAC (HMAC-SHA256, base64url without padding) covers a versioned, domain-separated
canonical string of the key id, the approval id, the decision and the expiry, so no part of
the link can be changed without the key. The approval id is an opaque random reference: the
link never carries the task token or anything else an attacker could use elsewhere.

``kid`` names the key that signed the link, so the key can rotate under open links: the
keyring verifies with the current or the previous key, never an older one.

Verification is pure (the keys and the clock come in) and answers with a typed result; the
signature is checked before the expiry so an expired *and* forged link reads as forged.
Every number is in canonical form (no sign, no leading zero): the MAC covers the number, so
``expires=0179…`` would otherwise verify as a second spelling of a signed link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol
from urllib.parse import quote, urlencode

from services.approvals.models import Approver, Decision

# Bumped if the canonical string ever changes, so old and new MACs can never collide.
_CANONICAL_PREFIX = "shop-workflow/approval-link/v2"
APPROVAL_ID_BYTES = 24  # 192 bits of randomness
MIN_KEY_BYTES = 32
_APPROVAL_ID = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
# Canonical ASCII digits only (no leading zero); bounded so int() stays cheap.
_EXPIRES = re.compile(r"^(0|[1-9][0-9]{0,11})$")
# A Secrets Manager version id is 32-64 characters of this alphabet.
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_DECISIONS = {d.value: d for d in Decision}
LINK_FIELDS = ("decision", "expires", "kid", "sig", "by")
# The backup approver's links say so (``by=backup``, signed); the owner's carry no ``by``.
_APPROVERS = {"": Approver.OWNER, Approver.BACKUP.value: Approver.BACKUP}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    secret: bytes = field(repr=False)


class Keyring(Protocol):
    """The link-signing keys: the one to sign with, and the ones links may still carry."""

    def current(self) -> SigningKey: ...

    def find(self, kid: str) -> SigningKey | None:
        """The current or the previous key when it has this id; None for any other."""
        ...


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
    kid: str
    signature: str  # echoed into the confirmation form, never logged
    approver: Approver = Approver.OWNER


@dataclass(frozen=True)
class RefusedLink:
    problem: LinkProblem


LinkCheck = VerifiedLink | RefusedLink


class LinkSigner:
    """Signs links with the keyring's current key and verifies them with the key they name
    (asked for on each use, so rotation and caching stay with the keyring)."""

    def __init__(self, keys: Keyring) -> None:
        self._keys = keys

    def url(
        self,
        base_url: str,
        approval_id: str,
        decision: Decision,
        expires: int,
        approver: Approver = Approver.OWNER,
    ) -> str:
        key = self._keys.current()
        fields = {
            "decision": decision.value,
            "expires": str(expires),
            "kid": key.kid,
            "sig": signature(key, approval_id, decision, expires, approver),
        }
        if approver is not Approver.OWNER:
            fields["by"] = approver.value
        query = urlencode(fields)
        return f"{base_url.rstrip('/')}/approvals/{quote(approval_id, safe='')}?{query}"

    def verify(self, approval_id: str, params: Mapping[str, str], now: datetime) -> LinkCheck:
        """Check a link's parts: ``params`` holds ``decision``, ``expires``, ``kid``, ``sig``
        and, on the backup approver's links, ``by`` (from the query string for a GET, the
        form for a POST)."""
        decision = _DECISIONS.get(params.get("decision", ""))
        approver = _APPROVERS.get(params.get("by", ""))
        expires_text = params.get("expires", "")
        kid = params.get("kid", "")
        sig = params.get("sig", "")
        if (
            not _APPROVAL_ID.fullmatch(approval_id)
            or decision is None
            or approver is None
            or not _EXPIRES.fullmatch(expires_text)
            or not KEY_ID.fullmatch(kid)
            or not sig
        ):
            return RefusedLink(LinkProblem.MALFORMED)
        key = self._keys.find(kid)
        if key is None:
            # A key older than the previous one, or one that never existed: forged as far as
            # anyone can tell.
            return RefusedLink(LinkProblem.TAMPERED)
        expires = int(expires_text)
        expected = signature(key, approval_id, decision, expires, approver)
        # Constant time, on bytes: a non-ASCII or truncated signature simply does not match.
        if not hmac.compare_digest(expected.encode("ascii"), sig.encode("utf-8")):
            return RefusedLink(LinkProblem.TAMPERED)
        if now.timestamp() > expires:
            return RefusedLink(LinkProblem.EXPIRED)
        return VerifiedLink(approval_id, decision, expires, kid, sig, approver)


def signature(
    key: SigningKey,
    approval_id: str,
    decision: Decision,
    expires: int,
    approver: Approver = Approver.OWNER,
) -> str:
    if len(key.secret) < MIN_KEY_BYTES:
        raise ValueError(f"the link-signing key must be at least {MIN_KEY_BYTES} bytes")
    canonical = _canonical(key.kid, approval_id, decision, expires)
    if approver is not Approver.OWNER:
        # One more line: an owner's link (five lines) can never verify as a backup's (six).
        canonical += f"\n{approver.value}".encode("ascii")
    mac = hmac.new(key.secret, canonical, hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def _canonical(kid: str, approval_id: str, decision: Decision, expires: int) -> bytes:
    # Newline-separated: none of the fields can contain one (id and kid are checked first).
    return f"{_CANONICAL_PREFIX}\n{kid}\n{approval_id}\n{decision.value}\n{expires}".encode("ascii")
