"""cdk-nag's AWS Solutions pack on the whole app, and the one way to acknowledge a finding.

cdk-nag 3 is a CDK policy-validation plugin: ``app.synth()`` (and so ``cdk synth`` /
``cdk deploy``) stops with a report when any finding, error or warning, is not acknowledged.
Acknowledgments go through CDK's ``Validations.of(...).acknowledge`` with a reason, and are
also written into each resource's CloudFormation metadata (``cdk_nag.rules_to_suppress``)
so the reasons can be audited in the templates.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stage, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

MIN_REASON_WORDS = 6


def checks() -> AwsSolutionsChecks:
    return AwsSolutionsChecks(verbose=True)


def check(stage: Stage) -> None:
    """Run the AWS Solutions pack over every stack of the app when it is synthesised."""
    Validations.of(stage).add_plugins(
        AwsSolutionsChecks(stage, verbose=True, write_suppressions_to_cloud_formation=True)
    )


def suppress(construct: IConstruct, rule: str, reason: str, finding: str | None = None) -> None:
    """Acknowledge one AwsSolutions rule on a construct and its children.

    ``finding`` narrows a multi-finding rule (IAM5) to the exact finding meant, e.g.
    ``Resource::*``, so a new, different wildcard added later still fails the check.
    """
    if len(reason.split()) < MIN_REASON_WORDS:
        raise ValueError(f"acknowledging {rule} needs a real reason, not {reason!r}")
    rule_id = f"AwsSolutions-{rule}" + (f"[{finding}]" if finding else "")
    Validations.of(construct).acknowledge(Acknowledgment(id=rule_id, reason=reason))
