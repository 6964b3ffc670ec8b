"""What every builder module works on: the scope, the inputs and what was built so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import Fn, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.config import DeployConfig
from services.common.wiring import ServiceWiring


@dataclass
class BuiltUserPool:
    pool: cognito.UserPool
    clients: dict[str, cognito.UserPoolClient]

    @property
    def issuer(self) -> str:
        """``https://cognito-idp.<region>.amazonaws.com/<pool id>``: what tokens carry as iss.

        Built from the pool id, as CDK's own user pool authorizer does, rather than read
        through the pool's ``ProviderURL`` attribute, which the deploy check's emulator lacks.
        """
        stack = Stack.of(self.pool)
        return Fn.join(
            "",
            [
                "https://cognito-idp.",
                stack.region,
                ".",
                stack.url_suffix,
                "/",
                self.pool.user_pool_id,
            ],
        )


@dataclass
class BuiltService:
    """What was created for one service, by logical name (the dashboard and tests read it)."""

    wiring: ServiceWiring
    # Where the stage's own metrics go (Powertools and log metric filters).
    metrics_namespace: str
    settings: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dynamodb.Table] = field(default_factory=dict)
    queues: dict[str, sqs.Queue] = field(default_factory=dict)
    dlqs: dict[str, sqs.Queue] = field(default_factory=dict)
    # Stream event source mappings' on-failure destinations, by function name.
    failure_queues: dict[str, sqs.Queue] = field(default_factory=dict)
    rules: dict[str, events.Rule] = field(default_factory=dict)
    topics: dict[str, sns.Topic] = field(default_factory=dict)
    schedule_groups: dict[str, scheduler.ScheduleGroup] = field(default_factory=dict)
    # The role Scheduler assumes to deliver each group's timers.
    scheduler_roles: dict[str, iam.Role] = field(default_factory=dict)
    configuration_sets: dict[str, ses.ConfigurationSet] = field(default_factory=dict)
    secrets: dict[str, secretsmanager.Secret] = field(default_factory=dict)
    state_machines: dict[str, sfn.StateMachine] = field(default_factory=dict)
    state_machine_logs: dict[str, logs.LogGroup] = field(default_factory=dict)
    functions: dict[str, lambda_.Function] = field(default_factory=dict)
    function_logs: dict[str, logs.LogGroup] = field(default_factory=dict)
    roles: dict[str, iam.Role] = field(default_factory=dict)
    function_urls: dict[str, lambda_.FunctionUrl] = field(default_factory=dict)
    user_pools: dict[str, BuiltUserPool] = field(default_factory=dict)
    http_api: apigw.HttpApi | None = None
    http_stage: apigw.HttpStage | None = None


@dataclass
class BuildContext:
    scope: Construct
    wiring: ServiceWiring
    config: DeployConfig
    bus: events.IEventBus
    out: BuiltService

    @property
    def stack(self) -> Stack:
        return Stack.of(self.scope)

    def log_group(self, construct_id: str, name: str | None = None) -> logs.LogGroup:
        return logs.LogGroup(
            self.scope,
            construct_id,
            log_group_name=name,
            retention=self.config.log_retention,
            removal_policy=self.config.removal_policy,
        )
