"""An alarm for a topic whose subscriber never confirmed: the owner who is never asked.

CloudWatch has no signal for it (SNS delivers nothing to a pending subscription and counts
no failure), so a probe function (``infra/probes/subscriptions.py``) lists the topic's
subscriptions every hour and publishes how many are confirmed; the alarm fires when none is
for two hours, or when the probe itself stops reporting.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra import lambda_code
from infra.config import DeployConfig
from infra.nag import suppress
from infra.paths import REPO_ROOT
from infra.probes import subscriptions as probe
from services.common.wiring import METRICS_NAMESPACE_ENV_VAR

PROBE_RATE = Duration.hours(1)
PROBE_DIR = REPO_ROOT / "infra" / "probes"


class SubscriptionProbe(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        topic: sns.ITopic,
        topic_name: str,
        service: str,
        config: DeployConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        log_group = logs.LogGroup(
            self, "Logs", retention=config.log_retention, removal_policy=config.removal_policy
        )
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{service}: counts the {topic_name} topic's confirmed subscriptions",
        )
        log_group.grant_write(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["sns:ListSubscriptionsByTopic"], resources=[topic.topic_arn]
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"Counts the {service} {topic_name} topic's confirmed subscriptions.",
            runtime=lambda_code.RUNTIME,
            architecture=lambda_code.ARCHITECTURE,
            handler=f"{probe.__name__.rpartition('.')[2]}.lambda_handler",
            code=lambda_.Code.from_asset(str(PROBE_DIR), exclude=["__pycache__", "*.pyc"]),
            layers=[lambda_code.dependencies_layer(self)],
            timeout=Duration.seconds(30),
            environment={
                probe.TOPIC_ARN_ENV_VAR: topic.topic_arn,
                probe.TOPIC_NAME_ENV_VAR: topic_name,
                METRICS_NAMESPACE_ENV_VAR: config.metrics_namespace,
                "POWERTOOLS_SERVICE_NAME": service,
            },
            role=role,
            log_group=log_group,
        )
        suppress(
            self.function,
            "L1",
            "Python 3.12 is pinned on purpose: the dependency layer (Powertools included) is "
            "built for python3.12, like every function of the shop, and a runtime upgrade is "
            "a reviewed change.",
        )
        events.Rule(
            self,
            "Schedule",
            description=f"Hourly count of the {service} {topic_name} topic's subscriptions",
            schedule=events.Schedule.rate(PROBE_RATE),
            targets=[targets.LambdaFunction(self.function, retry_attempts=2)],
        )
        self.confirmed = cloudwatch.Metric(
            namespace=config.metrics_namespace,
            metric_name=probe.CONFIRMED_METRIC,
            dimensions_map={"service": service, probe.TOPIC_DIMENSION: topic_name},
            statistic="Maximum",
            period=PROBE_RATE,
        )
        self.alarm = cloudwatch.Alarm(
            self,
            "Unconfirmed",
            metric=self.confirmed,
            threshold=1,
            evaluation_periods=2,
            datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            # The probe reports every hour: silence means it stopped, which hides the answer.
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
            alarm_description=(
                f"Nobody has confirmed the {service} {topic_name} subscription: the owner gets "
                "no approval request and every order is cancelled when its window closes. "
                "Ask the owner to click 'Confirm subscription' in AWS's email, or "
                "re-subscribe (docs/operations.md)."
            ),
        )
