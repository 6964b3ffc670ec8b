"""The notifications functions' settings, read once from the environment."""

from __future__ import annotations

from pydantic import EmailStr, Field

from services.common.settings import ServiceSettings

DEFAULT_STALE_CLAIM_SECONDS = 180
# Sends tried under claims of one email before its outcome is given up as unknown.
MAX_SEND_ATTEMPTS = 3


class LedgerSettings(ServiceSettings):
    notifications_ledger_table_name: str = Field(min_length=1)


class UnsubscribeSettings(ServiceSettings):
    notifications_opt_outs_table_name: str = Field(min_length=1)
    notifications_unsubscribe_key_secret: str = Field(min_length=1)


class NotificationsSettings(LedgerSettings, UnsubscribeSettings):
    # A bare address: it must be (or belong to a domain that is) a verified SES identity.
    notifications_sender_email: EmailStr
    notifications_configuration_set: str = Field(min_length=1)
    notifications_stale_claim_seconds: int = Field(default=DEFAULT_STALE_CLAIM_SECONDS, ge=1)
    notifications_unsubscribe_url: str = Field(
        pattern=r"^https?://[^\s?#]+$", description="Public base URL of the unsubscribe function."
    )
