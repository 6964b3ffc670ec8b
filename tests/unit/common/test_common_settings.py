"""Settings are read once from the environment, by upper-cased field name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.approvals.settings import RequestSettings
from services.common.settings import MissingSettingError, ServiceSettings

REQUEST_ENV = {
    "EVENT_BUS_NAME": "bus",
    "APPROVALS_TABLE_NAME": "approvals",
    "APPROVALS_SIGNING_KEY_SECRET": "key",
    "APPROVALS_OWNER_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:owner",
    "APPROVALS_BASE_URL": "https://approve.example.com",
}


def test_each_field_reads_its_upper_case_variable_and_converts_it() -> None:
    settings = RequestSettings.from_env(REQUEST_ENV | {"APPROVALS_LINK_GRACE_SECONDS": "60"})
    assert settings.event_bus_name == "bus"
    assert settings.approvals_link_grace_seconds == 60


def test_defaults_apply_when_a_variable_is_absent() -> None:
    assert RequestSettings.from_env(REQUEST_ENV).approvals_link_grace_seconds == 7 * 24 * 3600


def test_process_environment_is_the_default_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_BUS_NAME", "from-process")
    assert ServiceSettings.from_env().event_bus_name == "from-process"


def test_a_missing_variable_fails_with_its_name() -> None:
    incomplete = {k: v for k, v in REQUEST_ENV.items() if k != "APPROVALS_TABLE_NAME"}
    with pytest.raises(MissingSettingError, match="APPROVALS_TABLE_NAME"):
        RequestSettings.from_env(incomplete)


def test_an_invalid_value_fails_with_the_field_name() -> None:
    with pytest.raises(ValidationError, match="approvals_base_url"):
        RequestSettings.from_env(REQUEST_ENV | {"APPROVALS_BASE_URL": "not a url"})


def test_settings_are_frozen() -> None:
    settings = ServiceSettings.from_env({"EVENT_BUS_NAME": "bus"})
    with pytest.raises(ValidationError):
        settings.event_bus_name = "other"  # type: ignore[misc]
