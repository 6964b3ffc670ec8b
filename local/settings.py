"""Settings of the local stack: read once from ``SHOP_LOCAL_*`` variables or given in code."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LocalStackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_LOCAL_", frozen=True)

    prefix: str = Field("shop-local", pattern=r"^[a-z][a-z0-9-]{1,30}$")
    bus_name: str = "shop"
    region: str = "us-east-1"
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535, description="HTTP gateway; 0 picks a free port.")
    moto_port: int = Field(5000, ge=0, le=65535, description="moto server; 0 picks a free port.")
    # Durations are seconds here so a whole order's journey fits in a minute.
    approval_window_seconds: int = Field(20, ge=1)
    feedback_delay_seconds: int = Field(5, ge=0)
    visibility_timeout_seconds: int = Field(2, ge=1)
    link_grace_seconds: int = Field(3600, ge=0)
    sender_email: str = "shop@example.com"
    owner_email: str = "owner@example.com"

    def wiring_settings(self) -> dict[str, str]:
        """Values for the settings services declare in their wiring, by setting name."""
        return {
            "approval_window_seconds": str(self.approval_window_seconds),
            "feedback_delay_seconds": str(self.feedback_delay_seconds),
            "link_grace_seconds": str(self.link_grace_seconds),
            "sender_email": self.sender_email,
            "owner_email": self.owner_email,
        }
