"""Settings shared by every function. Each service extends this with its own fields."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read once from the environment at start-up; a missing one fails with its name."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    event_bus_name: str
