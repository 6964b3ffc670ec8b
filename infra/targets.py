"""Where the app is deployed: AWS, or the ministack emulator that ``make deploy-check`` drives.

The context value ``target`` (``-c target=ministack``) chooses. For the emulator the app leaves
out, at synthesis, what the emulator cannot create; everything else is the AWS app unchanged.
Each adaptation is listed here once with its reason (and in docs/deploy.md). Two tests keep
the list honest: the deploy check probes the emulator with each left-out resource and fails
once the emulator creates it (the adaptation is no longer needed), and an infra test fails
when the AWS app no longer holds what an adaptation leaves out (it no longer applies).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Target(StrEnum):
    AWS = "aws"
    MINISTACK = "ministack"


@dataclass(frozen=True)
class Adaptation:
    key: str
    # The CloudFormation resource types left out; with ``only_with``, only those resources
    # that set this property.
    resource_types: tuple[str, ...]
    reason: str
    only_with: str | None = None

    def applies_to(self, resource: Mapping[str, Any]) -> bool:
        """Whether a template's resource is one this adaptation leaves out."""
        if resource.get("Type") not in self.resource_types:
            return False
        return self.only_with is None or self.only_with in resource.get("Properties", {})


EVENT_ARCHIVE = Adaptation(
    key="event-archive",
    resource_types=("AWS::Events::Archive",),
    reason="ministack's CloudFormation has no AWS::Events::Archive (\"Unrecognized resource "
    'types"); the bus works without it, only replay is not exercised',
)
SCHEMA_REGISTRY = Adaptation(
    key="schema-registry",
    resource_types=("AWS::EventSchemas::Registry", "AWS::EventSchemas::Schema"),
    reason='ministack has no EventBridge schema registry ("Unrecognized resource types"); '
    "the registry's schemas are checked by tests/infra without deploying them",
)
METRIC_MATH_ALARMS = Adaptation(
    key="metric-math-alarms",
    resource_types=("AWS::CloudWatch::Alarm",),
    only_with="Metrics",
    reason="ministack's CloudFormation fails a stack holding an alarm on metric math "
    '("Properties.Metrics (metric math) is not supported"): the alarms on failed executions, '
    "on the share of unanswered approvals and on the share of bounced emails are left out; "
    "every alarm on a single metric deploys",
)

ADAPTATIONS: dict[Target, tuple[Adaptation, ...]] = {
    Target.AWS: (),
    Target.MINISTACK: (EVENT_ARCHIVE, SCHEMA_REGISTRY, METRIC_MATH_ALARMS),
}
