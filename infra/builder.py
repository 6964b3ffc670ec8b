"""Turns a service's ``ServiceWiring`` into CDK constructs: the cloud twin of ``local/provision``.

Everything a service owns is read from its declarations: tables, queues (each with its DLQ),
bus rules, topics, secrets, settings, state machines and functions with their triggers and
permissions. The functions get exactly the environment variables the local provisioner hands
them, so the handlers cannot tell the two apart. Nothing here knows a service by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Annotations, CfnOutput, Duration, Fn, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from infra import lambda_code
from infra.config import DeployConfig
from infra.nag import suppress
from services.common.wiring import (
    BUS_ENV_VAR,
    Access,
    Function,
    FunctionUrlTrigger,
    HttpApiTrigger,
    Queue,
    ServiceWiring,
    SqsTrigger,
    StateMachine,
    StreamTrigger,
    Table,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DLQ_RETENTION = Duration.days(14)
# Actions AWS offers no resource-level permissions for; they are the only "*" resources.
UNSCOPED_ACTIONS = {
    "xray:PutTraceSegments": "X-Ray trace upload",
    "xray:PutTelemetryRecords": "X-Ray trace upload",
    "states:SendTaskSuccess": "Step Functions task results (a task token names no resource)",
    "states:SendTaskFailure": "Step Functions task results (a task token names no resource)",
    "dynamodb:ListStreams": "DynamoDB stream listing for the event source mapping",
}
HTTP_API_RATE_LIMIT = 50  # requests per second, steady state
HTTP_API_BURST_LIMIT = 100
EVENT_PATTERN_FIELDS = {
    "source": "source",
    "detail-type": "detail_type",
    "detail": "detail",
    "account": "account",
    "region": "region",
    "resources": "resources",
    "time": "time",
    "version": "version",
    "id": "id",
}


def pascal(name: str) -> str:
    """``status-events`` -> ``StatusEvents``: construct ids from logical names."""
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def event_pattern(pattern: dict[str, Any]) -> events.EventPattern:
    """A wiring pattern as CDK's typed pattern; it renders back to the same JSON."""
    unknown = pattern.keys() - EVENT_PATTERN_FIELDS.keys()
    if unknown:
        raise ValueError(f"event pattern fields CDK cannot express: {sorted(unknown)}")
    return events.EventPattern(**{EVENT_PATTERN_FIELDS[k]: v for k, v in pattern.items()})


@jsii.implements(apigw.IAccessLogSettings)
class AccessLogs:
    """HTTP API access logs in a log group, in API Gateway's default (CLF) format."""

    def __init__(self, destination: apigw.IAccessLogDestination) -> None:
        self._destination = destination

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat | None:
        return None


@dataclass
class BuiltService:
    """What was created for one service, by logical name (the dashboard and tests read it)."""

    wiring: ServiceWiring
    settings: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dynamodb.Table] = field(default_factory=dict)
    queues: dict[str, sqs.Queue] = field(default_factory=dict)
    dlqs: dict[str, sqs.Queue] = field(default_factory=dict)
    # Stream event source mappings' on-failure destinations, by function name.
    failure_queues: dict[str, sqs.Queue] = field(default_factory=dict)
    rules: dict[str, events.Rule] = field(default_factory=dict)
    topics: dict[str, sns.Topic] = field(default_factory=dict)
    secrets: dict[str, secretsmanager.Secret] = field(default_factory=dict)
    state_machines: dict[str, sfn.StateMachine] = field(default_factory=dict)
    state_machine_logs: dict[str, logs.LogGroup] = field(default_factory=dict)
    functions: dict[str, lambda_.Function] = field(default_factory=dict)
    function_logs: dict[str, logs.LogGroup] = field(default_factory=dict)
    roles: dict[str, iam.Role] = field(default_factory=dict)
    function_urls: dict[str, lambda_.FunctionUrl] = field(default_factory=dict)
    http_api: apigw.HttpApi | None = None
    http_stage: apigw.HttpStage | None = None


class ServiceBuilder:
    def __init__(
        self,
        scope: Construct,
        wiring: ServiceWiring,
        config: DeployConfig,
        bus: events.IEventBus,
    ) -> None:
        self.scope = scope
        self.stack = Stack.of(scope)
        self.wiring = wiring
        self.config = config
        self.bus = bus
        self.out = BuiltService(wiring=wiring)

    def build(self) -> BuiltService:
        wiring, out = self.wiring, self.out
        out.environment[BUS_ENV_VAR] = self.bus.event_bus_name
        out.settings = {s.name: self._setting(s.name) for s in wiring.settings}
        for table in wiring.tables:
            self._table(table)
        for queue in wiring.queues:
            self._queue(queue)
        for sub in wiring.subscriptions:
            out.rules[sub.name] = self._rule(sub.name, sub.queue, sub.pattern)
        for topic in wiring.topics:
            out.topics[topic.name] = self._topic(topic.name)
            out.environment[topic.env_var] = out.topics[topic.name].topic_arn
        for secret in wiring.secrets:
            out.secrets[secret.name] = self._secret(secret.name, secret.description)
            out.environment[secret.env_var] = out.secrets[secret.name].secret_arn
        for machine in wiring.state_machines:
            out.state_machines[machine.name] = self._state_machine(machine)
            out.environment[machine.env_var] = out.state_machines[machine.name].state_machine_arn
        for name in wiring.email_sender_settings:
            self._sender_identity(name)
        for setting in wiring.settings:
            if setting.env_var:
                out.environment[setting.env_var] = out.settings[setting.name]
        # As in the local provisioner, every function sees the whole service's environment.
        for fn in wiring.functions:
            out.environment.update(fn.environment)
        code = lambda_code.source_code()
        layers = [
            lambda_code.powertools_layer(self.scope, self.config.powertools_layer),
            lambda_code.dependencies_layer(self.scope),
        ]
        for fn in wiring.functions:
            self._function(fn, code, layers)
        for fn in wiring.functions:
            self._trigger(fn)
            self._grant(fn)
        self._share_function_urls()
        return out

    # --- settings ---------------------------------------------------------------------

    def _setting(self, name: str) -> str:
        declared = next(s for s in self.wiring.settings if s.name == name)
        value = self.config.setting(self.wiring.name, name) or declared.default
        if value is None:
            # An error on this stack only: `cdk deploy` of another stack still works.
            Annotations.of(self.stack).add_error(
                f"{self.wiring.name}: no value for setting '{name}' ({declared.description}) "
                f"Give it with `-c {name}=...` or in cdk.json."
            )
            return f"missing-{name}"
        return value

    # --- storage and messaging -----------------------------------------------------------

    def _table(self, table: Table) -> None:
        key = dynamodb.Attribute(name=table.partition_key, type=dynamodb.AttributeType.STRING)
        sort = (
            dynamodb.Attribute(name=table.sort_key, type=dynamodb.AttributeType.STRING)
            if table.sort_key
            else None
        )
        created = dynamodb.Table(
            self.scope,
            f"{pascal(table.name)}Table",
            partition_key=key,
            sort_key=sort,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=table.ttl_attribute,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES if table.stream else None,
            removal_policy=self.config.removal_policy,
        )
        self.out.tables[table.name] = created
        self.out.environment[table.env_var] = created.table_name

    def _queue(self, queue: Queue) -> None:
        dlq = self._plain_queue(f"{pascal(queue.name)}Dlq", retention=DLQ_RETENTION)
        created = sqs.Queue(
            self.scope,
            f"{pascal(queue.name)}Queue",
            visibility_timeout=Duration.seconds(queue.visibility_timeout_seconds),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=queue.max_receive_count, queue=dlq
            ),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.out.queues[queue.name] = created
        self.out.dlqs[queue.name] = dlq
        if queue.env_var:
            self.out.environment[queue.env_var] = created.queue_url

    def _plain_queue(self, construct_id: str, retention: Duration) -> sqs.Queue:
        return sqs.Queue(
            self.scope,
            construct_id,
            retention_period=retention,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )

    def _rule(self, name: str, queue: str, pattern: dict[str, Any]) -> events.Rule:
        return events.Rule(
            self.scope,
            f"{pascal(name)}Rule",
            event_bus=self.bus,
            # Tests and operators find a subscription by this text.
            description=f"{self.wiring.name} subscription {name} -> queue {queue}",
            event_pattern=event_pattern(pattern),
            targets=[
                targets.SqsQueue(
                    self.out.queues[queue],
                    # Events EventBridge cannot deliver land beside the consumer's failures.
                    dead_letter_queue=self.out.dlqs[queue],
                )
            ],
        )

    def _topic(self, name: str) -> sns.Topic:
        topic = sns.Topic(
            self.scope,
            f"{pascal(name)}Topic",
            display_name=f"shop {self.wiring.name} {name}",
            # SNS's AWS-managed key: encrypted at rest without a key to administer.
            master_key=kms.Alias.from_alias_name(
                self.scope, f"{pascal(name)}TopicKey", "alias/aws/sns"
            ),
            enforce_ssl=True,
        )
        if self.config.owner_email:
            topic.add_subscription(subscriptions.EmailSubscription(self.config.owner_email))
        else:
            Annotations.of(topic).add_warning_v2(
                "shop:no-owner-email",
                f"No owner_email in context: nobody is subscribed to the {name} topic.",
            )
        return topic

    def _secret(self, name: str, description: str) -> secretsmanager.Secret:
        secret = secretsmanager.Secret(
            self.scope,
            f"{pascal(name)}Secret",
            description=description,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True, include_space=False
            ),
            removal_policy=self.config.removal_policy,
        )
        suppress(
            secret,
            "SMG4",
            "The secret is an HMAC key that signs links already sitting in inboxes; automatic "
            "rotation would break every open approval link, so it is rotated by hand after "
            "the approval window (docs/deploy.md).",
        )
        return secret

    def _sender_identity(self, setting: str) -> None:
        address = self.out.settings[setting]
        if self.config.create_ses_identities and "@" in address:
            ses.EmailIdentity(
                self.scope,
                f"{pascal(setting)}Identity",
                identity=ses.Identity.email(address),
            )

    # --- workflow ------------------------------------------------------------------------

    def _state_machine(self, machine: StateMachine) -> sfn.StateMachine:
        log_group = self._log_group(f"{pascal(machine.name)}StateMachineLogs")
        created = sfn.StateMachine(
            self.scope,
            f"{pascal(machine.name)}StateMachine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_file(str(REPO_ROOT / machine.definition_file)),
            definition_substitutions={
                placeholder: self._substitution(source)
                for placeholder, source in machine.substitutions.items()
            },
            tracing_enabled=True,
            logs=sfn.LogOptions(
                destination=log_group,
                level=sfn.LogLevel.ALL,
                # State input carries task tokens and customer emails: never into logs.
                include_execution_data=False,
            ),
        )
        for queue in machine.sends_to_queues:
            self.out.queues[queue].grant_send_messages(created)
        if machine.puts_events:
            self.bus.grant_put_events_to(created)
        suppress(
            created,
            "IAM5",
            "Step Functions needs CloudWatch Logs vended log delivery (logs:CreateLogDelivery "
            "and its siblings, resource policies) and X-Ray trace upload, none of which "
            "support resource-level permissions.",
            finding="Resource::*",
        )
        self.out.state_machine_logs[machine.name] = log_group
        return created

    def _substitution(self, source: str) -> str:
        kind, _, name = source.partition(":")
        if kind == "queue_url":
            return self.out.queues[name].queue_url
        if kind == "bus_name":
            return self.bus.event_bus_name
        if kind == "setting":
            return self.out.settings[name]
        raise ValueError(f"{self.wiring.name}: unknown substitution source {source!r}")

    # --- functions -----------------------------------------------------------------------

    def _log_group(self, construct_id: str) -> logs.LogGroup:
        return logs.LogGroup(
            self.scope,
            construct_id,
            retention=self.config.log_retention,
            removal_policy=self.config.removal_policy,
        )

    def _function(
        self, fn: Function, code: lambda_.Code, layers: list[lambda_.ILayerVersion]
    ) -> None:
        construct = pascal(fn.name)
        self._check_timeout(fn)
        log_group = self._log_group(f"{construct}Logs")
        # One role per function, starting empty: every permission below is a grant.
        role = iam.Role(
            self.scope,
            f"{construct}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{self.wiring.name}/{fn.name}: {fn.description}"[:1000],
        )
        log_group.grant_write(role)
        created = lambda_.Function(
            self.scope,
            f"{construct}Function",
            description=fn.description,
            runtime=lambda_code.RUNTIME,
            architecture=lambda_code.ARCHITECTURE,
            handler=fn.handler,
            code=code,
            layers=layers,
            memory_size=fn.memory_mb,
            timeout=Duration.seconds(fn.timeout_seconds),
            environment=dict(self.out.environment),
            role=role,
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,
        )
        suppress(
            created,
            "L1",
            "Python 3.12 is pinned on purpose: the Powertools layer and the dependency layer "
            "are built for python3.12, and a runtime upgrade is a reviewed change.",
        )
        self.out.functions[fn.name] = created
        self.out.function_logs[fn.name] = log_group
        self.out.roles[fn.name] = role

    def _check_timeout(self, fn: Function) -> None:
        trigger = fn.trigger
        if isinstance(trigger, SqsTrigger):
            visibility = self.wiring.queue(trigger.queue).visibility_timeout_seconds
            if fn.timeout_seconds > visibility:
                # Lambda refuses the mapping; fail at synth with the names instead.
                raise ValueError(
                    f"{self.wiring.name}/{fn.name}: timeout {fn.timeout_seconds}s exceeds "
                    f"the {trigger.queue} queue's visibility timeout {visibility}s"
                )

    def _trigger(self, fn: Function) -> None:
        created = self.out.functions[fn.name]
        trigger = fn.trigger
        if isinstance(trigger, SqsTrigger):
            created.add_event_source(
                sources.SqsEventSource(
                    self.out.queues[trigger.queue],
                    batch_size=trigger.batch_size,
                    max_batching_window=(
                        Duration.seconds(trigger.max_batching_window_seconds)
                        if trigger.max_batching_window_seconds
                        else None
                    ),
                    report_batch_item_failures=True,
                )
            )
        elif isinstance(trigger, StreamTrigger):
            failures = self._plain_queue(f"{pascal(fn.name)}StreamFailures", DLQ_RETENTION)
            suppress(
                failures,
                "SQS3",
                "This queue is the on-failure destination of a DynamoDB stream mapping, "
                "holding records whose retries are exhausted; it is the dead-letter queue.",
            )
            self.out.failure_queues[fn.name] = failures
            created.add_event_source(
                sources.DynamoEventSource(
                    self.out.tables[trigger.table],
                    starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                    batch_size=trigger.batch_size,
                    bisect_batch_on_error=True,
                    retry_attempts=trigger.max_retry_attempts,
                    report_batch_item_failures=True,
                    on_failure=sources.SqsDlq(failures),
                )
            )
        elif isinstance(trigger, HttpApiTrigger):
            api = self._http_api()
            integration = HttpLambdaIntegration(f"{pascal(fn.name)}Integration", created)
            for route in trigger.routes:
                api.add_routes(
                    path=route.path,
                    methods=[apigw.HttpMethod(route.method.upper())],
                    integration=integration,
                )
            suppress(
                api,
                "APIG4",
                "The routes are public by design: shop customers call them without signing in; "
                "the handler validates every request and the stage is throttled.",
            )
        elif isinstance(trigger, FunctionUrlTrigger):
            url = created.add_function_url(auth_type=lambda_.FunctionUrlAuthType.NONE)
            self.out.function_urls[fn.name] = url
            CfnOutput(self.stack, f"{pascal(fn.name)}FunctionUrl", value=url.url)

    def _http_api(self) -> apigw.HttpApi:
        if self.out.http_api is not None:
            return self.out.http_api
        api = apigw.HttpApi(
            self.scope,
            "HttpApi",
            api_name=f"shop-{self.config.stage}-{self.wiring.name}",
            create_default_stage=False,
        )
        stage = apigw.HttpStage(
            self.scope,
            "HttpApiStage",
            http_api=api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=HTTP_API_RATE_LIMIT, burst_limit=HTTP_API_BURST_LIMIT
            ),
            access_log_settings=AccessLogs(
                apigw.LogGroupLogDestination(self._log_group("HttpApiAccessLogs"))
            ),
        )
        CfnOutput(self.stack, "HttpApiUrl", value=stage.url)
        self.out.http_api, self.out.http_stage = api, stage
        return api

    def _share_function_urls(self) -> None:
        """Hand each Function URL to the service's other functions (never to its owner,
        whose environment cannot depend on its own URL)."""
        for fn in self.wiring.functions:
            trigger = fn.trigger
            if not (isinstance(trigger, FunctionUrlTrigger) and trigger.env_var):
                continue
            url = self.out.function_urls[fn.name].url
            # "https://<id>.lambda-url.<region>.on.aws/" without the trailing slash.
            base = Fn.join("", ["https://", Fn.select(2, Fn.split("/", url))])
            self.out.environment[trigger.env_var] = base
            for other in self.wiring.functions:
                if other.name != fn.name:
                    self.out.functions[other.name].add_environment(trigger.env_var, base)

    # --- permissions ---------------------------------------------------------------------

    def _grant(self, fn: Function) -> None:
        created, role, wanted = self.out.functions[fn.name], self.out.roles[fn.name], fn.permissions
        for table, access in wanted.tables.items():
            grant = {
                Access.READ: self.out.tables[table].grant_read_data,
                Access.WRITE: self.out.tables[table].grant_write_data,
                Access.READ_WRITE: self.out.tables[table].grant_read_write_data,
            }[access]
            grant(created)
        for queue in wanted.send_to_queues:
            self.out.queues[queue].grant_send_messages(created)
        for topic in wanted.publish_to_topics:
            self.out.topics[topic].grant_publish(created)
        for secret in wanted.read_secrets:
            self.out.secrets[secret].grant_read(created)
        if wanted.put_events:
            self.bus.grant_put_events_to(created)
        for machine in wanted.start_executions:
            self.out.state_machines[machine].grant_start_execution(created)
        if wanted.send_task_results:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["states:SendTaskSuccess", "states:SendTaskFailure"],
                    resources=["*"],
                )
            )
        if wanted.send_email:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["ses:SendEmail"], resources=self._email_identity_arns(fn)
                )
            )
        self._suppress_unscoped(fn)

    def _email_identity_arns(self, fn: Function) -> list[str]:
        if not self.wiring.email_sender_settings:
            raise ValueError(
                f"{self.wiring.name}/{fn.name} sends email but the wiring declares no "
                "email_sender_settings to scope ses:SendEmail to"
            )
        identities: list[str] = []
        for setting in self.wiring.email_sender_settings:
            address = self.out.settings[setting]
            # SES authorises against the address identity or, when only the domain is
            # verified, the domain identity.
            identities += [address, address.rpartition("@")[2]]
        # In the SES sandbox every recipient is an identity SES authorises too.
        identities += self.config.ses_sandbox_recipients
        return [
            self.stack.format_arn(service="ses", resource="identity", resource_name=identity)
            for identity in dict.fromkeys(identities)
        ]

    def _suppress_unscoped(self, fn: Function) -> None:
        actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        if fn.permissions.send_task_results:
            actions += ["states:SendTaskSuccess", "states:SendTaskFailure"]
        if isinstance(fn.trigger, StreamTrigger):
            actions.append("dynamodb:ListStreams")
        reasons = sorted({UNSCOPED_ACTIONS[a] for a in actions})
        suppress(
            self.out.roles[fn.name],
            "IAM5",
            f"Resource '*' only for actions without resource-level permissions: "
            f"{'; '.join(reasons)} ({', '.join(actions)}).",
            finding="Resource::*",
        )
