"""Alarms that know a service's domain, beside the generic ones of ``infra/observability``.

- workflow: approval requests nobody answers. The state machine's own log says which state
  each execution entered after ``RequestApproval``; two metric filters count the executions
  that reached ``NobodyAnswered`` (cancelled with reason approval_timeout) and those the
  owner answered, and the alarm fires when timeouts are too large a share of them. State
  names and types are read from the ASL file, so a renamed state fails the build.
- workflow: a decision that reached a finished workflow (the relay's
  ``DecisionAfterWorkflowMovedOn``): the owner may have been told "approved" for an order
  that was cancelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_logs as logs

from infra.build.context import BuiltService
from infra.naming import pascal
from infra.observability import ExtraAlarms, ServiceObservability
from infra.paths import REPO_ROOT
from infra.stacks.widgets import DECISION_STATES
from services.workflow.domain.relay import DecisionOutcome
from services.workflow.handlers import SERVICE as WORKFLOW_SERVICE

APPROVAL_TIMEOUT_METRIC = "ApprovalTimedOut"
APPROVAL_ANSWERED_METRIC = "ApprovalAnswered"
# A share of timed-out approvals, over a window long enough to hold a few orders.
APPROVAL_TIMEOUT_ALARM_PERCENT = 20
APPROVAL_TIMEOUT_PERIOD = Duration.hours(6)


def workflow_alarms(
    observability: ServiceObservability, built: BuiltService
) -> Sequence[cloudwatch.Alarm]:
    alarms = [
        observability.alarm(
            "DecisionAfterWorkflowMovedOn",
            cloudwatch.Metric(
                namespace=built.metrics_namespace,
                metric_name=DecisionOutcome.MOVED_ON.value,
                dimensions_map={"service": WORKFLOW_SERVICE},
                statistic="Sum",
                period=Duration.minutes(5),
            ),
            "A decision reached a workflow that had already moved on (timed out or "
            "cancelled): the owner may have been told their decision counted. See "
            "relay-decision's log ('decision reached a workflow that had moved on'); raise "
            "the approvals decision_margin_seconds if it fires under normal load.",
        )
    ]
    for machine in built.wiring.state_machines:
        asl = json.loads((REPO_ROOT / machine.definition_file).read_text(encoding="utf-8"))
        counted = _DecisionCounter(
            observability, machine.name, asl["States"], built.state_machine_logs[machine.name]
        )
        timed_out = counted.entered(["timed out"], APPROVAL_TIMEOUT_METRIC)
        answered = counted.entered(["approved", "rejected"], APPROVAL_ANSWERED_METRIC)
        share = cloudwatch.MathExpression(
            # Both counts are sparse; a window with no decision at all is no data (not 0 %).
            expression=(
                "IF(FILL(timedOut, 0) + FILL(answered, 0) > 0, "
                "100 * FILL(timedOut, 0) / (FILL(timedOut, 0) + FILL(answered, 0)))"
            ),
            using_metrics={"timedOut": timed_out, "answered": answered},
            period=APPROVAL_TIMEOUT_PERIOD,
            label="approval requests nobody answered (%)",
        )
        alarms.append(
            observability.alarm(
                f"{pascal(machine.name)}ApprovalTimeouts",
                share,
                f"{machine.name}: {APPROVAL_TIMEOUT_ALARM_PERCENT} % or more of the approval "
                "requests decided in the last 6 hours were never answered (orders cancelled "
                "with reason approval_timeout). Is the owner receiving the requests? Check "
                "the owner subscription alarm and the approvals dashboard.",
                threshold=APPROVAL_TIMEOUT_ALARM_PERCENT,
            )
        )
    return alarms


class _DecisionCounter:
    """Metric filters on one state machine's log, counting executions by decision outcome."""

    def __init__(
        self,
        observability: ServiceObservability,
        machine: str,
        states: dict[str, dict[str, str]],
        log_group: logs.ILogGroup,
    ) -> None:
        self.observability, self.machine = observability, machine
        self.states, self.log_group = states, log_group

    def entered(self, outcomes: list[str], metric_name: str) -> cloudwatch.IMetric:
        patterns = []
        for outcome in outcomes:
            state = DECISION_STATES[outcome]
            if state not in self.states:
                raise ValueError(f"{self.machine} has no state {state!r} the alarm counts")
            state_type = f"{self.states[state]['Type']}StateEntered"
            patterns.append(
                logs.FilterPattern.all(
                    logs.FilterPattern.string_value("$.type", "=", state_type),
                    logs.FilterPattern.string_value("$.details.name", "=", state),
                )
            )
        metric_filter = logs.MetricFilter(
            self.observability,
            f"{pascal(self.machine)}{metric_name}Filter",
            log_group=self.log_group,
            filter_pattern=logs.FilterPattern.any(*patterns),
            metric_namespace=self.observability.built.metrics_namespace,
            metric_name=metric_name,
            metric_value="1",
        )
        return metric_filter.metric(statistic="Sum", period=APPROVAL_TIMEOUT_PERIOD)


EXTRA_ALARMS: dict[str, ExtraAlarms] = {"workflow": workflow_alarms}
