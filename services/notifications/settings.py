"""The notifications functions' settings, read once from the environment."""

from __future__ import annotations

from pydantic import EmailStr, Field

from services.common.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    notifications_ledger_table_name: str = Field(min_length=1)
    # A bare address: it must be (or belong to a domain that is) a verified SES identity.
    notifications_sender_email: EmailStr
