"""Deploy-time choices from CDK context: typed from cdk.json, strings from `-c key=value`."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs

from infra.config import ConfigError, DeployConfig

pytestmark = pytest.mark.infra


def config(**context: Any) -> DeployConfig:
    return DeployConfig.from_lookup(context.get)


def test_defaults_without_context() -> None:
    chosen = config()

    assert chosen.stage == "dev"
    assert chosen.bus_name == "shop-dev"
    assert chosen.metrics_namespace == "Shop/dev"
    assert chosen.removal_policy == RemovalPolicy.RETAIN
    assert chosen.owner_email is None
    assert chosen.create_ses_identities is True


def test_command_line_strings_are_parsed() -> None:
    chosen = config(
        stage="prod",
        removal_policy="destroy",
        log_retention_days="90",
        create_ses_identities="false",
        subscriber_accounts="111122223333, 444455556666",
        ses_sandbox_recipients="ada@example.com",
    )

    assert chosen.removal_policy == RemovalPolicy.DESTROY
    assert chosen.log_retention == logs.RetentionDays.THREE_MONTHS
    assert chosen.create_ses_identities is False
    assert chosen.subscriber_accounts == ("111122223333", "444455556666")
    assert chosen.ses_sandbox_recipients == ("ada@example.com",)


def test_cdk_json_types_are_accepted() -> None:
    chosen = config(log_retention_days=30, create_ses_identities=True, subscriber_accounts=[])

    assert chosen.log_retention == logs.RetentionDays.ONE_MONTH
    assert chosen.subscriber_accounts == ()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("stage", "Prod Stage"),
        ("removal_policy", "snapshot"),
        ("log_retention_days", "31"),
        ("create_ses_identities", "maybe"),
        ("subscriber_accounts", "not-an-account"),
        ("target", "localstack"),
    ],
)
def test_a_bad_value_names_its_key(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        config(**{key: value})


def test_physical_names_follow_the_stage() -> None:
    chosen = config(stage="prod")

    assert chosen.bus_name == "shop-prod"
    assert chosen.metrics_namespace == "Shop/prod"


def test_a_powertools_layer_in_context_is_refused_not_ignored() -> None:
    with pytest.raises(ConfigError, match=r"powertools_layer.*infra/layer/requirements.txt"):
        config(powertools_layer="3.37.0")


def test_a_bus_name_in_context_is_refused_not_ignored() -> None:
    with pytest.raises(ConfigError, match=r"bus_name.*-c stage="):
        config(bus_name="shop")


def test_a_service_scoped_setting_wins_over_the_plain_one() -> None:
    chosen = config(**{"approval_window_seconds": "60", "workflow.approval_window_seconds": "30"})

    assert chosen.setting("workflow", "approval_window_seconds") == "30"
    assert chosen.setting("orders", "approval_window_seconds") == "60"
    assert chosen.setting("workflow", "feedback_delay_seconds") is None
