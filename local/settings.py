"""Settings of the local stack: read once from ``SHOP_LOCAL_*`` variables or given in code.

The services' own settings (approval window, feedback delay, link grace, sender address) have
their local values in each service's wiring (``Setting.local_default``); here they are only
overrides, and ``None`` means "the wiring's local default".
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_MOTO_PORT = 5000
DEFAULT_PREFIX = "shop-local"
DEFAULT_REGION = "us-east-1"
DEFAULT_MOTO_URL = f"http://{DEFAULT_HOST}:{DEFAULT_MOTO_PORT}"


class LocalStackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_LOCAL_", frozen=True)

    prefix: str = Field(DEFAULT_PREFIX, pattern=r"^[a-z][a-z0-9-]{1,30}$")
    bus_name: str = "shop"
    region: str = DEFAULT_REGION
    host: str = DEFAULT_HOST
    port: int = Field(DEFAULT_PORT, ge=0, le=65535, description="HTTP gateway; 0: a free port.")
    moto_port: int = Field(DEFAULT_MOTO_PORT, ge=0, le=65535, description="moto; 0: a free port.")
    visibility_timeout_seconds: int = Field(2, ge=1)
    # Overrides of the services' settings (seconds here, so a journey fits in a minute).
    approval_window_seconds: int | None = Field(None, ge=1)
    feedback_delay_seconds: int | None = Field(None, ge=0)
    link_grace_seconds: int | None = Field(None, ge=0)
    # The owner's page closes this long before the workflow's deadline; keep it below the
    # approval window or the owner is never asked.
    decision_margin_seconds: int | None = Field(None, ge=0)
    # When the owner is reminded, in percent of their time to decide ("50,90"; "": never).
    reminder_points: str | None = None
    sender_email: str | None = None
    # Handlers reach moto in this process without the loopback HTTP hop (local.inprocess);
    # false sends every call over HTTP, as another process's clients are.
    in_process: bool = True
    # Also run examples/subscriber (another team\'s loyalty service) on the local bus.
    example_subscriber: bool = False

    def wiring_settings(self) -> dict[str, str]:
        """The overrides given, by the name of the setting a service declares in its wiring."""
        overrides = {
            "approval_window_seconds": self.approval_window_seconds,
            "feedback_delay_seconds": self.feedback_delay_seconds,
            "link_grace_seconds": self.link_grace_seconds,
            "decision_margin_seconds": self.decision_margin_seconds,
            "reminder_points": self.reminder_points,
            # Well inside the window in which a failed message still comes back (visibility
            # timeout x 4 more receives), and longer than a send under load takes.
            "stale_claim_seconds": max(2, 2 * self.visibility_timeout_seconds),
            "sender_email": self.sender_email,
        }
        return {name: str(value) for name, value in overrides.items() if value is not None}
