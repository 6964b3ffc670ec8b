"""The app's adaptations to the emulator (infra/targets.py) stay few and needed.

Each adaptation leaves something out of the templates; here the emulator is asked to create
that very thing in a stack of its own. When it succeeds, the emulator has caught up and the
adaptation must go. (tests/infra checks the other side: the AWS app still has what each
adaptation leaves out.)
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.targets import ADAPTATIONS, Adaptation, Target
from tests.deploy.conftest import Variant, deploy_check
from tools.deploy_check.deployment import Deployment

pytestmark = deploy_check

PROBE_TIMEOUT_SECONDS = 30.0
POLL_SECONDS = 0.2
BUS_ARN = "arn:aws:events:us-east-1:000000000000:event-bus/default"

# The smallest resource of each kind an adaptation leaves out.
PROBES: dict[str, dict[str, dict[str, Any]]] = {
    "event-archive": {
        "Archive": {"Type": "AWS::Events::Archive", "Properties": {"SourceArn": BUS_ARN}},
    },
    "schema-registry": {
        "Registry": {"Type": "AWS::EventSchemas::Registry", "Properties": {}},
        "Schema": {
            "Type": "AWS::EventSchemas::Schema",
            "Properties": {
                "RegistryName": {"Fn::GetAtt": ["Registry", "RegistryName"]},
                "Type": "JSONSchemaDraft4",
                "Content": json.dumps({"type": "object"}),
            },
        },
    },
    "metric-math-alarms": {
        "Alarm": {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "EvaluationPeriods": 1,
                "Threshold": 1,
                "Metrics": [
                    {"Id": "total", "Expression": "FILL(count, 0)", "ReturnData": True},
                    {
                        "Id": "count",
                        "ReturnData": False,
                        "MetricStat": {
                            "Metric": {"Namespace": "DeployCheck", "MetricName": "Probe"},
                            "Period": 300,
                            "Stat": "Sum",
                        },
                    },
                ],
            },
        },
    },
}

EMULATOR_ADAPTATIONS = ADAPTATIONS[Target.MINISTACK]


def test_every_adaptation_has_a_probe_of_what_it_leaves_out() -> None:
    assert set(PROBES) == {a.key for a in EMULATOR_ADAPTATIONS}
    for adaptation in EMULATOR_ADAPTATIONS:
        for resource in PROBES[adaptation.key].values():
            assert adaptation.applies_to(resource), adaptation.key


@pytest.mark.parametrize("adaptation", EMULATOR_ADAPTATIONS, ids=lambda a: a.key)
def test_the_emulator_still_cannot_create_what_the_app_leaves_out(
    adaptation: Adaptation, variant: Variant, deployment: Deployment
) -> None:
    if variant.name != "shop":
        pytest.skip("checked on the app itself")

    refusal = _create(deployment, f"deploy-check-probe-{uuid.uuid4().hex[:8]}", adaptation.key)

    assert refusal is not None, (
        f"the emulator now creates what the {adaptation.key!r} adaptation leaves out: "
        "remove it from infra/targets.py and docs/deploy.md"
    )


def test_the_deployed_templates_hold_nothing_an_adaptation_leaves_out(
    deployment: Deployment,
) -> None:
    for stack_id in deployment.stacks:
        resources = deployment.template(stack_id).get("Resources", {})
        for adaptation in EMULATOR_ADAPTATIONS:
            left = [n for n, r in resources.items() if adaptation.applies_to(r)]
            assert not left, f"{stack_id} still holds {left} ({adaptation.key})"


def _create(deployment: Deployment, stack_name: str, key: str) -> str | None:
    """Why the emulator refused a stack of the probe's resources; None if it created it."""
    cloudformation = deployment.client("cloudformation")
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": PROBES[key]}
    try:
        cloudformation.create_stack(StackName=stack_name, TemplateBody=json.dumps(template))
    except ClientError as refused:
        return str(refused)
    try:
        status = _settled_status(cloudformation, stack_name)
        if status == "CREATE_COMPLETE":
            return None
        failures = [
            str(e.get("ResourceStatusReason", ""))
            for e in cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
            if e["ResourceStatus"] == "CREATE_FAILED"
        ]
        return "; ".join(failures) or status
    finally:
        cloudformation.delete_stack(StackName=stack_name)


def _settled_status(cloudformation: Any, stack_name: str) -> str:
    deadline = time.monotonic() + PROBE_TIMEOUT_SECONDS
    while True:
        (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
        status = str(stack["StackStatus"])
        if not status.endswith("_IN_PROGRESS"):
            return status
        assert time.monotonic() < deadline, f"{stack_name} still {status}"
        time.sleep(POLL_SECONDS)  # the polling interval, not a wait for the outcome
