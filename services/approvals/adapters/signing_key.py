"""The link-signing keys, read from one Secrets Manager secret.

The version staged ``AWSCURRENT`` signs; links signed by it or by ``AWSPREVIOUS`` verify, so
putting a new secret value (which moves the stages along) rotates the key under open links.
A key's id (``kid`` in the link) is its secret version id. Both versions are cached for a
few minutes; a link naming a version not in the cache (a key rotated since) causes one
re-read, at most every ``REFRESH_SECONDS``, so invented key ids cannot hammer the service.
Keys are never logged: errors name the secret, not its value.

Powertools' ``SecretsProvider`` is not used here: it returns neither the version id nor a
cache entry per version stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from services.approvals.links import SigningKey

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

KEY_CACHE_SECONDS = 300
REFRESH_SECONDS = 1
CURRENT = "AWSCURRENT"
PREVIOUS = "AWSPREVIOUS"


@dataclass(frozen=True)
class _Cached:
    current: SigningKey
    previous: SigningKey | None
    read_at: float


class SecretKeyring:
    """A ``Keyring`` for ``LinkSigner`` over a Secrets Manager secret's version stages."""

    def __init__(
        self,
        client: SecretsManagerClient,
        secret_id: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._secret_id = secret_id
        self._clock = clock
        self._cached: _Cached | None = None

    def current(self) -> SigningKey:
        return self._keys().current

    def find(self, kid: str) -> SigningKey | None:
        found = _match(self._keys(), kid)
        cached = self._cached
        if found is None and cached and self._clock() - cached.read_at >= REFRESH_SECONDS:
            found = _match(self._keys(force=True), kid)
        return found

    def _keys(self, *, force: bool = False) -> _Cached:
        now = self._clock()
        cached = self._cached
        if cached is None or force or now - cached.read_at >= KEY_CACHE_SECONDS:
            current = self._read(CURRENT)
            if current is None:
                raise LookupError(f"secret {self._secret_id} has no {CURRENT} version")
            cached = _Cached(current, self._read(PREVIOUS), now)
            self._cached = cached
        return cached

    def _read(self, stage: str) -> SigningKey | None:
        try:
            value = self._client.get_secret_value(SecretId=self._secret_id, VersionStage=stage)
        except ClientError as error:
            if stage == PREVIOUS and error.response["Error"]["Code"] == "ResourceNotFoundException":
                return None  # never rotated yet
            raise
        secret = value.get("SecretBinary") or value.get("SecretString", "").encode("utf-8")
        if not secret:
            raise ValueError(f"secret {self._secret_id} holds no usable signing key")
        return SigningKey(kid=value["VersionId"], secret=secret)


def _match(keys: _Cached, kid: str) -> SigningKey | None:
    for key in (keys.current, keys.previous):
        if key is not None and key.kid == kid:
            return key
    return None
