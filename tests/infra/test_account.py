"""``ShopAccount`` on its own: which SES identities it creates, and when it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from infra.app import account_stack
from infra.config import DeployConfig
from tests.infra.cfn import resources

pytestmark = pytest.mark.infra

ERROR = "aws:cdk:error"


def _account(**context: Any) -> tuple[Stack, dict[str, Any]]:
    app = App(context={"aws:cdk:version-reporting": False, **context})
    stack = account_stack(app, DeployConfig.from_node(app.node))
    return stack, dict(Template.from_stack(stack).to_json())


def _errors(stack: Stack) -> list[str]:
    return [str(m.data) for m in stack.node.metadata if m.type == ERROR]


def test_listed_identities_replace_the_sender_address() -> None:
    stack, template = _account(
        sender_email="shop@example.com", ses_identities="orders@example.com,example.com"
    )

    identities = sorted(
        r["Properties"]["EmailIdentity"]
        for r in resources(template, "AWS::SES::EmailIdentity").values()
    )

    assert identities == ["example.com", "orders@example.com"]
    assert _errors(stack) == []


def test_a_service_scoped_sender_is_found_too() -> None:
    _, template = _account(**{"notifications.sender_email": "shop@example.com"})

    (identity,) = resources(template, "AWS::SES::EmailIdentity").values()

    assert identity["Properties"]["EmailIdentity"] == "shop@example.com"
    assert identity["DeletionPolicy"] == "Retain"


def test_without_a_sender_it_says_what_to_pass() -> None:
    stack, template = _account()

    (error,) = _errors(stack)

    assert "`-c sender_email=shop@example.com`" in error
    assert resources(template, "AWS::SES::EmailIdentity") == {}


def test_identities_that_exist_already_are_not_created() -> None:
    stack, template = _account(create_ses_identities="false")

    assert _errors(stack) == []
    assert resources(template, "AWS::SES::EmailIdentity") == {}
    # The reputation alarms are there either way.
    assert len(resources(template, "AWS::CloudWatch::Alarm")) == 2
