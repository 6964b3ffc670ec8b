"""Where the local stack's settings come from: the command line, SHOP_LOCAL_*, the wiring."""

from __future__ import annotations

import pytest

from local.cli import build_parser, local_settings
from local.services import local_services
from local.settings import DEFAULT_PORT, LocalStackSettings
from local.stack import LocalStack
from services.workflow.wiring import WIRING as WORKFLOW


def test_shop_local_keeps_the_port_from_the_environment_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOP_LOCAL_PORT", "9191")

    assert local_settings(build_parser().parse_args(["local"])).port == 9191
    assert local_settings(build_parser().parse_args(["local", "--port", "8181"])).port == 8181


def test_shop_local_uses_the_default_port_when_nothing_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SHOP_LOCAL_PORT", raising=False)

    assert local_settings(build_parser().parse_args(["local"])).port == DEFAULT_PORT


def test_a_service_setting_not_overridden_is_the_wirings_local_default() -> None:
    declared = {s.name: s.local_default for s in WORKFLOW.settings}

    stack = LocalStack(LocalStackSettings(feedback_delay_seconds=1))

    assert stack.setting("approval_window_seconds") == declared["approval_window_seconds"]
    assert stack.setting("feedback_delay_seconds") == "1"


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(KeyError, match="no_such_setting"):
        LocalStack(LocalStackSettings()).setting("no_such_setting")


def test_the_example_subscriber_runs_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_LOCAL_EXAMPLE_SUBSCRIBER", raising=False)
    plain = local_settings(build_parser().parse_args(["local"]))
    asked = local_settings(build_parser().parse_args(["local", "--with-example-subscriber"]))
    monkeypatch.setenv("SHOP_LOCAL_EXAMPLE_SUBSCRIBER", "true")
    from_env = local_settings(build_parser().parse_args(["local"]))

    assert (plain.example_subscriber, asked.example_subscriber) == (False, True)
    assert from_env.example_subscriber is True
    assert [w.name for w in local_services()] == [
        "orders",
        "workflow",
        "approvals",
        "notifications",
    ]
    assert local_services(example_subscriber=True)[-1].name == "loyalty"
