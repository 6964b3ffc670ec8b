"""Our CDK stack synthesises clean: cdk-nag (AWS Solutions) and cfn-lint find nothing, the
rule sits on the shop's bus found through SSM, and the queue keeps failures in a DLQ."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_VALIDATION", "false")
pytest.importorskip("aws_cdk", reason="the cdk extra is not installed")

from aws_cdk import App
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint_by_config  # type: ignore[import-untyped]
from loyalty_stack import resources
from loyalty_stack.app import build_app

pytestmark = pytest.mark.infra
# W3005: CDK adds a DependsOn on the function's role next to the GetAtt; harmless, CDK's own.
CFN_LINT_IGNORED = ["W3005"]


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[App, Path, dict[str, Any]]:
    outdir = tmp_path_factory.mktemp("loyalty.out")
    app = build_app(App(outdir=str(outdir), context={"shop_stage": "test"}))
    # cdk-nag runs as a validation plugin here: an unacknowledged finding raises.
    assembly = app.synth()
    stack = assembly.get_stack_by_name("loyalty-test")
    return app, outdir / stack.template_file, stack.template


def of_type(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == kind]


def test_cdk_nag_finds_nothing_unacknowledged(synthesized: tuple[App, Path, Any]) -> None:
    app, _, _ = synthesized

    report = AwsSolutionsChecks(verbose=True).validate_scope(app)

    assert report.success, "\n".join(
        f"{v.rule_name}: {[r.construct_path for r in v.violating_resources]}"
        for v in report.violations
    )


def test_cfn_lint_finds_nothing(synthesized: tuple[App, Path, Any]) -> None:
    _, template_file, _ = synthesized

    matches = lint_by_config(
        ManualArgs(
            templates=[str(template_file)], regions=["eu-west-1"], ignore_checks=CFN_LINT_IGNORED
        )
    )

    assert not matches, "\n".join(str(m) for m in matches)


def test_rule_on_the_shop_bus_from_its_ssm_parameter(synthesized: tuple[App, Path, Any]) -> None:
    _, _, template = synthesized

    (rule,) = of_type(template, "AWS::Events::Rule")
    parameters = template["Parameters"]

    assert rule["Properties"]["EventPattern"] == resources.RULE_PATTERN
    bus_parameter = next(p for p in parameters.values() if p.get("Default") == "/shop/test/bus/arn")
    assert bus_parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert "Ref" in json.dumps(rule["Properties"]["EventBusName"])


def test_queue_has_a_dlq_and_the_function_reports_partial_failures(
    synthesized: tuple[App, Path, Any],
) -> None:
    _, _, template = synthesized

    queues = of_type(template, "AWS::SQS::Queue")
    (mapping,) = of_type(template, "AWS::Lambda::EventSourceMapping")
    (function,) = of_type(template, "AWS::Lambda::Function")

    redrive = [
        q["Properties"]["RedrivePolicy"] for q in queues if "RedrivePolicy" in q["Properties"]
    ]
    assert len(queues) == 2
    assert [r["maxReceiveCount"] for r in redrive] == [resources.MAX_RECEIVE_COUNT]
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert function["Properties"]["Handler"] == resources.HANDLER
