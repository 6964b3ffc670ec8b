"""``LoyaltyStack``: subscribes the loyalty function to the shop's bus.

The bus is found through the SSM parameter the shop's bus stack publishes, resolved by
CloudFormation at deploy time: nothing here refers to the shop's stacks or code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from constructs import Construct, IConstruct

from loyalty_stack import resources as r

CODE_DIR = Path(__file__).resolve().parent.parent
RUNTIME = lambda_.Runtime.PYTHON_3_12
# Powertools' public layer (pydantic included), resolved in the deployment's region.
POWERTOOLS_PARAMETER = "/aws/service/powertools/python/x86_64/python3.12/3.37.0"


class LoyaltyStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, shop_stage: str = "dev", **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        bus = events.EventBus.from_event_bus_arn(
            self,
            "ShopBus",
            ssm.StringParameter.value_for_string_parameter(
                self, r.BUS_ARN_PARAMETER.format(stage=shop_stage)
            ),
        )
        table = dynamodb.TableV2(
            self,
            "PointsTable",
            partition_key=dynamodb.Attribute(
                name=r.TABLE_PARTITION_KEY, type=dynamodb.AttributeType.STRING
            ),
            sort_key=dynamodb.Attribute(name=r.TABLE_SORT_KEY, type=dynamodb.AttributeType.STRING),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        dlq = sqs.Queue(
            self,
            "EventsDlq",
            enforce_ssl=True,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            retention_period=Duration.days(14),
        )
        queue = sqs.Queue(
            self,
            "Events",
            enforce_ssl=True,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            visibility_timeout=Duration.seconds(r.QUEUE_VISIBILITY_TIMEOUT_SECONDS),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=r.MAX_RECEIVE_COUNT, queue=dlq),
        )
        events.Rule(
            self,
            "ShopEvents",
            event_bus=bus,
            description="Shipped and cancelled orders from the shop, for loyalty points.",
            event_pattern=events.EventPattern(
                source=r.RULE_PATTERN["source"], detail_type=r.RULE_PATTERN["detail-type"]
            ),
            targets=[targets.SqsQueue(queue)],
        )
        function = lambda_.Function(
            self,
            "PointsFunction",
            runtime=RUNTIME,
            handler=r.HANDLER,
            code=lambda_.Code.from_asset(
                str(CODE_DIR),
                exclude=["*", "!loyalty", "!loyalty/*.py"],
            ),
            layers=[
                lambda_.LayerVersion.from_layer_version_arn(
                    self,
                    "Powertools",
                    ssm.StringParameter.value_for_string_parameter(self, POWERTOOLS_PARAMETER),
                )
            ],
            timeout=Duration.seconds(r.FUNCTION_TIMEOUT_SECONDS),
            memory_size=r.FUNCTION_MEMORY_MB,
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                r.TABLE_ENV_VAR: table.table_name,
                "POWERTOOLS_SERVICE_NAME": r.SERVICE,
            },
            description="Awards loyalty points for shipped orders, takes them back on cancel.",
        )
        function.add_event_source(
            sources.SqsEventSource(queue, batch_size=r.BATCH_SIZE, report_batch_item_failures=True)
        )
        table.grant_read_write_data(function)
        self._acknowledge(function)

    def _acknowledge(self, function: lambda_.Function) -> None:
        """cdk-nag findings we accept, each with its reason (cdk-nag 3 acknowledgments)."""
        assert function.role is not None
        acknowledge(
            function.role,
            "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole]",
            "The AWS managed basic execution policy only lets the function write its logs.",
        )
        acknowledge(
            function.role,
            "IAM5[Resource::*]",
            "X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level "
            "permissions; this is CDK's own grant for active tracing.",
        )
        acknowledge(
            function,
            "L1",
            "Python 3.12 is pinned to match the Powertools layer we resolve; a runtime "
            "upgrade is a reviewed change.",
        )


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    Validations.of(construct).acknowledge(
        Acknowledgment(id=f"AwsSolutions-{finding}", reason=reason)
    )
