"""Dashboard widgets that know a service's domain, beside the generic ones.

- workflow: how the owner's decisions turned out, read from the state machine's own log (the
  state each execution entered after RequestApproval: shipped, rejected or nobody answered),
  and the relay's and starter's Powertools metrics.
- approvals: what the decision page answered, from its structured log lines. The approvals
  code emits no metric of its own; the approve / reject split is on the workflow dashboard.

Names used in queries are checked against the ASL file at synth time, so a renamed state
fails the build instead of silently emptying a widget.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch

from infra.build.context import BuiltService
from infra.observability import ExtraWidgets
from infra.paths import REPO_ROOT
from services.common.wiring import FunctionUrlTrigger
from services.workflow.domain.relay import DecisionOutcome, TokenOutcome
from services.workflow.domain.starter import StartOutcome
from services.workflow.handlers import SERVICE as WORKFLOW_SERVICE

WIDTH = 24
# The state each outcome of the owner's decision leads to (services/workflow ASL).
DECISION_STATES = {
    "approved": "EmitOrderShipped",
    "rejected": "OwnerRejected",
    "timed out": "NobodyAnswered",
}


def workflow_widgets(built: BuiltService) -> Sequence[cloudwatch.IWidget]:
    widgets: list[cloudwatch.IWidget] = []
    for machine in built.wiring.state_machines:
        name = machine.name
        _require_states(REPO_ROOT / machine.definition_file, DECISION_STATES.values())
        states = ", ".join(f'"{state}"' for state in DECISION_STATES.values())
        widgets.append(
            cloudwatch.LogQueryWidget(
                title=f"{name}: owner decisions (approved = EmitOrderShipped, rejected = "
                "OwnerRejected, timed out = NobodyAnswered)",
                log_group_names=[built.state_machine_logs[name].log_group_name],
                query_lines=[
                    "fields @timestamp, details.name",
                    f"filter type like /StateEntered/ and details.name in [{states}]",
                    "stats count(*) as orders by details.name",
                ],
                view=cloudwatch.LogQueryVisualizationType.BAR,
                width=WIDTH,
                height=6,
            )
        )
    outcomes = [*StartOutcome, *TokenOutcome, *DecisionOutcome]
    widgets.append(
        cloudwatch.GraphWidget(
            title="Starter and relay outcomes (Powertools metrics)",
            left=[
                cloudwatch.Metric(
                    namespace=built.metrics_namespace,
                    metric_name=outcome.value,
                    dimensions_map={"service": WORKFLOW_SERVICE},
                    statistic="Sum",
                    period=Duration.minutes(5),
                    label=outcome.value,
                )
                for outcome in outcomes
            ],
            width=WIDTH,
            height=6,
        )
    )
    return widgets


def approvals_widgets(built: BuiltService) -> Sequence[cloudwatch.IWidget]:
    # The public decision page is the service's Function URL function.
    page = next(f.name for f in built.wiring.functions if isinstance(f.trigger, FunctionUrlTrigger))
    decision = built.function_logs[page]
    return [
        cloudwatch.LogQueryWidget(
            title="Decision page: confirmed answers by outcome (POST)",
            log_group_names=[decision.log_group_name],
            query_lines=[
                "fields @timestamp, outcome",
                'filter message = "decision page" and method = "POST"',
                "stats count(*) as answers by outcome",
            ],
            view=cloudwatch.LogQueryVisualizationType.BAR,
            width=WIDTH // 2,
            height=6,
        ),
        cloudwatch.LogQueryWidget(
            title="Refused links by problem (tampered, expired, malformed...)",
            log_group_names=[decision.log_group_name],
            query_lines=[
                "fields @timestamp, outcome",
                'filter message = "link refused"',
                "stats count(*) as links by outcome",
            ],
            view=cloudwatch.LogQueryVisualizationType.BAR,
            width=WIDTH // 2,
            height=6,
        ),
    ]


EXTRA_WIDGETS: dict[str, ExtraWidgets] = {
    "workflow": workflow_widgets,
    "approvals": approvals_widgets,
}


def _require_states(definition: Path, names: Iterable[str]) -> None:
    states = json.loads(definition.read_text(encoding="utf-8"))["States"]
    missing = [name for name in names if name not in states]
    if missing:
        raise ValueError(f"{definition.name} has no state(s) {missing} the dashboard queries")
