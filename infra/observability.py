"""A dashboard and alarms per service, from what the builder created.

Alarms: any function error, any message in a DLQ (or a stream mapping's failure queue), any
failed or timed-out execution, any 5xx from the HTTP API, a stream mapping falling behind
(IteratorAge), a topic nobody confirmed a subscription to (``subscription_probe``), and the
domain's own (``stacks/domain_alarms``). With ``alarm_topic_arn`` in context they notify
that topic; without, they show on the dashboard and in the console.

The metrics alarmed on are sparse: AWS publishes a datapoint only when something happened
(an invocation, a message, an execution). Every alarm says what missing data means, and
metric math fills gaps with 0 so one absent term cannot blank out the sum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.build.context import BuiltService
from infra.config import DeployConfig
from infra.naming import pascal
from infra.subscription_probe import SubscriptionProbe
from infra.targets import METRIC_MATH_ALARMS

PERIOD = Duration.minutes(5)
WIDTH = 24
# A stream record older than this has not reached the bus: its order waits in `placed`.
ITERATOR_AGE_ALARM = Duration.minutes(5)
ExtraWidgets = Callable[[BuiltService], Sequence[cloudwatch.IWidget]]
# Domain alarms: created through ``ServiceObservability.alarm``, so they share its actions.
ExtraAlarms = Callable[["ServiceObservability", BuiltService], None]
ALARM_TOPIC_ID = "AlarmTopic"


def alarm_actions(scope: Construct, config: DeployConfig) -> list[cloudwatch.IAlarmAction]:
    """Where a stack's alarms notify: the ``alarm_topic_arn`` topic, if one was given."""
    if not config.alarm_topic_arn:
        return []
    stack = Stack.of(scope)
    found = stack.node.try_find_child(ALARM_TOPIC_ID)
    topic = (
        cast(sns.ITopic, found)
        if found is not None
        else sns.Topic.from_topic_arn(stack, ALARM_TOPIC_ID, config.alarm_topic_arn)
    )
    return [actions.SnsAction(topic)]


class ServiceObservability(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        built: BuiltService,
        config: DeployConfig,
        extra_widgets: ExtraWidgets | None = None,
        extra_alarms: ExtraAlarms | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.built = built
        self._actions = alarm_actions(self, config)
        self._without_metric_math = config.leaves_out(METRIC_MATH_ALARMS)
        self.alarms: list[cloudwatch.Alarm] = []
        self.probes: list[SubscriptionProbe] = []
        self._alarm_on_functions()
        self._alarm_on_dead_letters()
        self._alarm_on_executions()
        self._alarm_on_api()
        self._alarm_on_streams()
        self._alarm_on_subscriptions(config)
        if extra_alarms is not None:
            extra_alarms(self, built)
        service = built.wiring.name
        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=f"shop-{config.stage}-{service}",
            default_interval=Duration.days(1),
        )
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(
                markdown=f"# shop {service} ({config.stage})\nFunctions, queues and "
                "dead letters of this service; alarms below.",
                width=WIDTH,
                height=2,
            )
        )
        for row in self._rows(extra_widgets):
            self.dashboard.add_widgets(*row)

    # --- alarms --------------------------------------------------------------------------

    def alarm(
        self,
        construct_id: str,
        metric: cloudwatch.IMetric,
        description: str,
        *,
        threshold: float = 1,
    ) -> cloudwatch.Alarm | None:
        """An alarm at ``metric >= threshold``. Missing data is not breaching by default:
        every metric here is published only when its event (an error, a message) happened.
        None where the target cannot create an alarm on metric math (infra/targets.py)."""
        if self._without_metric_math and isinstance(metric, cloudwatch.MathExpression):
            return None
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        for action in self._actions:
            alarm.add_alarm_action(action)
        self.alarms.append(alarm)
        return alarm

    def _alarm_on_functions(self) -> None:
        for name, fn in self.built.functions.items():
            self.alarm(
                f"{pascal(name)}Errors",
                fn.metric_errors(period=PERIOD, statistic="Sum"),
                f"{self.built.wiring.name}/{name} raised errors (see its log group).",
            )

    def _alarm_on_dead_letters(self) -> None:
        for name, queue in self._dead_letter_queues():
            self.alarm(
                f"{name}Depth",
                queue.metric_approximate_number_of_messages_visible(
                    period=PERIOD, statistic="Maximum"
                ),
                f"Messages are waiting in {queue.node.id}: inspect, fix, then redrive.",
            )

    def _alarm_on_executions(self) -> None:
        for name, machine in self.built.state_machines.items():
            failed = cloudwatch.MathExpression(
                # Each term is missing in a period with no such execution; unfilled, the
                # sum is missing too whenever any one term is, and the alarm never fires.
                expression="FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
                using_metrics={
                    "failed": machine.metric_failed(period=PERIOD, statistic="Sum"),
                    "timedOut": machine.metric_timed_out(period=PERIOD, statistic="Sum"),
                    "aborted": machine.metric_aborted(period=PERIOD, statistic="Sum"),
                },
                period=PERIOD,
                label="executions failed, timed out or aborted",
            )
            self.alarm(
                f"{pascal(name)}ExecutionsFailed",
                failed,
                f"{name}: executions ended badly (an order stopped without its events).",
            )

    def _alarm_on_api(self) -> None:
        if self.built.http_api is not None:
            self.alarm(
                "HttpApi5xx",
                self.built.http_api.metric_server_error(period=PERIOD, statistic="Sum"),
                f"The {self.built.wiring.name} HTTP API answered 5xx.",
            )

    def _alarm_on_streams(self) -> None:
        for name in self.built.failure_queues:
            fn = self.built.functions[name]
            self.alarm(
                f"{pascal(name)}IteratorAge",
                fn.metric("IteratorAge", period=PERIOD, statistic="Maximum"),
                f"{self.built.wiring.name}/{name} is more than "
                f"{ITERATOR_AGE_ALARM.to_minutes()} minutes behind its stream (the bus refusing "
                "events, or a failing record being retried): what it publishes is late.",
                threshold=ITERATOR_AGE_ALARM.to_milliseconds(),
            )

    def _alarm_on_subscriptions(self, config: DeployConfig) -> None:
        for name, topic in self.built.topics.items():
            probe = SubscriptionProbe(
                self,
                f"{pascal(name)}SubscriptionProbe",
                topic=topic,
                topic_name=name,
                service=self.built.wiring.name,
                config=config,
            )
            for action in self._actions:
                probe.alarm.add_alarm_action(action)
            self.alarms.append(probe.alarm)
            self.probes.append(probe)

    def _dead_letter_queues(self) -> list[tuple[str, sqs.Queue]]:
        dlqs: list[tuple[str, sqs.Queue]] = [
            (f"{pascal(name)}Dlq", queue) for name, queue in self.built.dlqs.items()
        ]
        dlqs += [
            (f"{pascal(name)}StreamFailures", queue)
            for name, queue in self.built.failure_queues.items()
        ]
        return dlqs

    # --- dashboard -----------------------------------------------------------------------

    def _rows(self, extra_widgets: ExtraWidgets | None) -> list[list[cloudwatch.IWidget]]:
        built = self.built
        functions = built.functions.items()
        rows: list[list[cloudwatch.IWidget]] = [
            [
                self._graph("Invocations", [fn.metric_invocations(label=n) for n, fn in functions]),
                self._graph("Errors", [fn.metric_errors(label=n) for n, fn in functions]),
                self._graph(
                    "Duration p95",
                    [fn.metric_duration(label=n, statistic="p95") for n, fn in functions],
                ),
            ],
            [
                self._graph(
                    "Dead-letter depth",
                    [
                        queue.metric_approximate_number_of_messages_visible(
                            label=name, statistic="Maximum"
                        )
                        for name, queue in self._dead_letter_queues()
                    ],
                ),
                self._graph(
                    "Age of oldest message (s)",
                    [
                        queue.metric_approximate_age_of_oldest_message(
                            label=name, statistic="Maximum"
                        )
                        for name, queue in built.queues.items()
                    ],
                ),
            ],
        ]
        for name, machine in built.state_machines.items():
            rows.append(
                [
                    self._graph(
                        f"{name}: executions by outcome",
                        [
                            machine.metric_started(label="started"),
                            machine.metric_succeeded(label="succeeded"),
                            machine.metric_failed(label="failed"),
                            machine.metric_timed_out(label="timed out"),
                            machine.metric_aborted(label="aborted"),
                        ],
                    )
                ]
            )
        if built.http_api is not None:
            api = built.http_api
            rows.append(
                [
                    self._graph(
                        "HTTP API requests",
                        [
                            api.metric_count(label="requests"),
                            api.metric_client_error(label="4xx"),
                            api.metric_server_error(label="5xx"),
                        ],
                    ),
                    self._graph(
                        "HTTP API latency p95",
                        [api.metric_latency(label="latency", statistic="p95")],
                    ),
                ]
            )
        if built.failure_queues:
            rows.append(
                [
                    self._graph(
                        "Stream iterator age (ms): how far behind the outbox is",
                        [
                            built.functions[name].metric(
                                "IteratorAge", label=name, statistic="Maximum"
                            )
                            for name in built.failure_queues
                        ],
                    )
                ]
            )
        if self.probes:
            rows.append(
                [self._graph("Confirmed topic subscriptions", [p.confirmed for p in self.probes])]
            )
        if extra_widgets is not None:
            rows += [[widget] for widget in extra_widgets(built)]
        rows.append([cloudwatch.AlarmStatusWidget(alarms=self.alarms, title="Alarms", width=WIDTH)])
        return rows

    @staticmethod
    def _graph(title: str, metrics: Sequence[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
        return cloudwatch.GraphWidget(title=title, left=list(metrics), width=8, height=6)
