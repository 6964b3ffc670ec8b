"""The link-signing key, read from Secrets Manager through Powertools' cached provider.

The key is fetched on use and cached for a few minutes, so a rotated secret is picked up
without a redeploy. It is never logged: errors name the secret, not its value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.parameters import SecretsProvider

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

KEY_CACHE_SECONDS = 300


class SecretSigningKey:
    """A ``KeyProvider`` for ``LinkSigner``: the secret string's UTF-8 bytes are the key."""

    def __init__(self, client: SecretsManagerClient, secret_id: str) -> None:
        self._provider = SecretsProvider(boto3_client=client)
        self._secret_id = secret_id

    def __call__(self) -> bytes:
        value = self._provider.get(self._secret_id, max_age=KEY_CACHE_SECONDS)
        if isinstance(value, bytes):
            return value
        if not isinstance(value, str) or not value:
            raise ValueError(f"secret {self._secret_id} holds no usable signing key")
        return value.encode("utf-8")
