"""One-click unsubscribe links for the feedback request (RFC 8058).

A link is ``{base}/unsubscribe?r=<recipient id>&sig=<mac>``. The recipient id is the SHA-256
of the normalised address, so neither the link nor the opt-out table holds the address
itself; the MAC (HMAC-SHA256 over a versioned string) makes the link unforgeable, so nobody
can unsubscribe someone else. Verification is pure: the key comes in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

_CANONICAL_PREFIX = "shop-workflow/unsubscribe/v1"
_RECIPIENT = re.compile(r"^[0-9a-f]{64}$")
MIN_KEY_BYTES = 32

KeyProvider = Callable[[], bytes]


def recipient_id(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


class UnsubscribeLinks:
    def __init__(self, key: KeyProvider) -> None:
        self._key = key

    def url(self, base_url: str, address: str) -> str:
        recipient = recipient_id(address)
        query = urlencode({"r": recipient, "sig": self._signature(recipient)})
        return f"{base_url.rstrip('/')}/unsubscribe?{query}"

    def verify(self, params: Mapping[str, str]) -> str | None:
        """The recipient id of a genuine link, or None."""
        recipient, sig = params.get("r", ""), params.get("sig", "")
        if not _RECIPIENT.fullmatch(recipient) or not sig:
            return None
        expected = self._signature(recipient)
        if not hmac.compare_digest(expected.encode("ascii"), sig.encode("utf-8")):
            return None
        return recipient

    def _signature(self, recipient: str) -> str:
        key = self._key()
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the unsubscribe key must be at least {MIN_KEY_BYTES} bytes")
        canonical = f"{_CANONICAL_PREFIX}\n{recipient}".encode("ascii")
        mac = hmac.new(key, canonical, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")
