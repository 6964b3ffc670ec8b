"""Alarms that know a service's domain, beside the generic ones of ``infra/observability``.

- workflow: approval requests nobody answers. The state machine's own log says which state
  each execution entered after ``RequestApproval``; two metric filters count the executions
  that reached ``NobodyAnswered`` (cancelled with reason approval_timeout) and those the
  owner answered, and the alarm fires when timeouts are too large a share of them. State
  names and types are read from the ASL file, so a renamed state fails the build.
- workflow: a decision that reached a finished workflow (the relay's
  ``DecisionAfterWorkflowMovedOn``): the owner may have been told "approved" for an order
  that was cancelled.
- orders: the sweeper had to republish an OrderPlaced (the outbox did not carry it in time).
- notifications: an email SES refused for good, one whose send outcome stayed unknown, a
  claim stuck in ``sending`` taken over, and the stage's share of bounced or rejected emails
  (the account-wide SES rates are alarmed in ``ShopAccount``).

All of them count with the services' Powertools metrics (namespace of the stage, dimension
``service``), published only when something happened: missing data is not breaching.
"""

from __future__ import annotations

import json

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_logs as logs

from infra.build.context import BuiltService
from infra.naming import pascal
from infra.observability import ExtraAlarms, ServiceObservability
from infra.paths import REPO_ROOT
from infra.stacks.widgets import DECISION_STATES
from services.notifications.domain.notify import Outcome as EmailOutcome
from services.workflow.domain.relay import DecisionOutcome

APPROVAL_TIMEOUT_METRIC = "ApprovalTimedOut"
APPROVAL_ANSWERED_METRIC = "ApprovalAnswered"
# A share of timed-out approvals, over a window long enough to hold a few orders.
APPROVAL_TIMEOUT_ALARM_PERCENT = 20
APPROVAL_TIMEOUT_PERIOD = Duration.hours(6)
COUNT_PERIOD = Duration.minutes(15)
# services/orders/handlers/sweeper.py counts each OrderPlaced it had to republish.
ORDER_PLACED_REPUBLISHED_METRIC = "OrderPlacedRepublished"
# What notifications' delivery-events handler counts per SES report (its METRIC_OF_STATUS;
# a handler module is not imported at synth time, a test keeps the two equal).
SES_ACCEPTED_METRIC = "EmailAcceptedBySes"
SES_BOUNCED_METRIC = "EmailBouncedOrRejected"
# The stage's own bounce share alarms at the same level as the account's (SES: 5 %).
BOUNCE_SHARE_ALARM_PERCENT = 4
BOUNCE_SHARE_PERIOD = Duration.hours(6)


def service_metric(
    built: BuiltService, name: str, period: Duration = COUNT_PERIOD
) -> cloudwatch.Metric:
    """A count a service's handlers publish through Powertools Metrics."""
    return cloudwatch.Metric(
        namespace=built.metrics_namespace,
        metric_name=name,
        dimensions_map={"service": built.wiring.name},
        statistic="Sum",
        period=period,
    )


def orders_alarms(observability: ServiceObservability, built: BuiltService) -> None:
    observability.alarm(
        ORDER_PLACED_REPUBLISHED_METRIC,
        service_metric(built, ORDER_PLACED_REPUBLISHED_METRIC),
        "The sweeper republished OrderPlaced for orders still 'placed' past "
        "stuck_after_seconds: the outbox did not carry them in time (the bus refusing "
        "events, or the stream mapping behind: see the IteratorAge alarm).",
    )


def notifications_alarms(observability: ServiceObservability, built: BuiltService) -> None:
    counts = {
        EmailOutcome.FAILED: "SES refused a customer email for good (the ledger holds it as "
        "failed with the reason: sandbox, unverified sender, suppressed or invalid address).",
        EmailOutcome.OUTCOME_UNKNOWN: "A customer email's send outcome stayed unknown after "
        "every attempt; it is marked failed ('send outcome unknown'). Is SES reachable?",
        EmailOutcome.RESENT_AFTER_STALE_CLAIM: "A customer email stayed claimed in 'sending' "
        "past stale_claim_seconds with no word from SES and was sent again (maybe twice).",
    }
    for outcome, description in counts.items():
        observability.alarm(outcome.value, service_metric(built, outcome.value), description)
    bounced = service_metric(built, SES_BOUNCED_METRIC, BOUNCE_SHARE_PERIOD)
    accepted = service_metric(built, SES_ACCEPTED_METRIC, BOUNCE_SHARE_PERIOD)
    share = cloudwatch.MathExpression(
        expression=("IF(FILL(accepted, 0) > 0, 100 * FILL(bounced, 0) / FILL(accepted, 0))"),
        using_metrics={"bounced": bounced, "accepted": accepted},
        period=BOUNCE_SHARE_PERIOD,
        label="emails bounced or rejected (% of those SES accepted)",
    )
    observability.alarm(
        "EmailBounceShare",
        share,
        f"{BOUNCE_SHARE_ALARM_PERCENT} % or more of this stage's customer emails bounced "
        "or were rejected in 6 hours (SES reviews an account at 5 %): look for invalid "
        "addresses in the ledger (status failed, reason bounced).",
        threshold=BOUNCE_SHARE_ALARM_PERCENT,
    )


def workflow_alarms(observability: ServiceObservability, built: BuiltService) -> None:
    observability.alarm(
        "DecisionAfterWorkflowMovedOn",
        service_metric(built, DecisionOutcome.MOVED_ON.value, Duration.minutes(5)),
        "A decision reached a workflow that had already moved on (timed out or "
        "cancelled): the owner may have been told their decision counted. See "
        "relay-decision's log ('decision reached a workflow that had moved on'); raise "
        "the approvals decision_margin_seconds if it fires under normal load.",
    )
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
        observability.alarm(
            f"{pascal(machine.name)}ApprovalTimeouts",
            share,
            f"{machine.name}: {APPROVAL_TIMEOUT_ALARM_PERCENT} % or more of the approval "
            "requests decided in the last 6 hours were never answered (orders cancelled "
            "with reason approval_timeout). Is the owner receiving the requests? Check "
            "the owner subscription alarm and the approvals dashboard.",
            threshold=APPROVAL_TIMEOUT_ALARM_PERCENT,
        )


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


EXTRA_ALARMS: dict[str, ExtraAlarms] = {
    "workflow": workflow_alarms,
    "orders": orders_alarms,
    "notifications": notifications_alarms,
}
