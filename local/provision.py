"""Creates a service's declared resources on whatever AWS endpoint boto3 reaches.

The same ``wiring.py`` declarations the CDK app reads are turned into tables, queues (each
with its DLQ), bus rules, topics, secrets and state machines here, so the local stack and the
tests run against exactly what the cloud gets. Returns the environment variables the
service's functions need, named as the declarations name them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from local.paths import REPO_ROOT
from local.settings import DEFAULT_PREFIX
from services.common.asl import render_asl
from services.common.wiring import (
    BUS_ENV_VAR,
    FunctionUrlTrigger,
    Queue,
    ScheduleGroup,
    ServiceWiring,
    StateMachine,
    Table,
    UserPool,
)

# Where AWS services publish their own events (SES email events among them).
DEFAULT_BUS = "default"
ClientFactory = Callable[[str], Any]


@dataclass(frozen=True)
class LocalNames:
    """Physical names: ``<prefix>-<service>-<logical>``, unique per stack so runs never mix."""

    prefix: str = DEFAULT_PREFIX
    bus: str = "shop"

    def physical(self, service: str, logical: str) -> str:
        return f"{self.prefix}-{service}-{logical}"


@dataclass(frozen=True)
class ProvisionedUserPool:
    """A user pool on the emulated Cognito: its id, its app clients' ids by name, and the
    issuer its tokens carry (what API Gateway's JWT authorizer is configured with)."""

    pool_id: str
    client_ids: dict[str, str]

    @property
    def issuer(self) -> str:
        region = self.pool_id.partition("_")[0]  # pool ids are "<region>_<random>"
        return f"https://cognito-idp.{region}.amazonaws.com/{self.pool_id}"


@dataclass
class ProvisionedService:
    """What was created for one service, by logical name."""

    wiring: ServiceWiring
    env: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    table_streams: dict[str, str] = field(default_factory=dict)
    queue_urls: dict[str, str] = field(default_factory=dict)
    dlq_urls: dict[str, str] = field(default_factory=dict)
    topic_arns: dict[str, str] = field(default_factory=dict)
    secret_ids: dict[str, str] = field(default_factory=dict)
    state_machine_arns: dict[str, str] = field(default_factory=dict)
    configuration_sets: dict[str, str] = field(default_factory=dict)
    schedule_groups: dict[str, str] = field(default_factory=dict)
    user_pools: dict[str, ProvisionedUserPool] = field(default_factory=dict)


class Provisioner:
    def __init__(
        self,
        names: LocalNames,
        settings: dict[str, str] | None = None,
        clients: ClientFactory | None = None,
        *,
        visibility_timeout_seconds: int | None = None,
        function_urls: dict[str, str] | None = None,
    ) -> None:
        """``settings`` overrides a declared setting's local default by name;
        ``visibility_timeout_seconds`` replaces every queue's (a failed message comes back in
        seconds locally instead of minutes); ``function_urls`` maps "<service>/<function>" to
        the URL the local gateway serves it under."""
        self.names = names
        self._settings = settings or {}
        self._client_cache: dict[str, Any] = {}
        self._clients: ClientFactory = clients or _default_client
        self._visibility = visibility_timeout_seconds
        self._function_urls = function_urls or {}

    def _client(self, service: str) -> Any:
        if service not in self._client_cache:
            self._client_cache[service] = self._clients(service)
        return self._client_cache[service]

    def ensure_bus(self) -> str:
        events = self._client("events")
        try:
            return str(events.describe_event_bus(Name=self.names.bus)["Arn"])
        except events.exceptions.ResourceNotFoundException:
            return str(events.create_event_bus(Name=self.names.bus)["EventBusArn"])

    def setting(self, wiring: ServiceWiring, name: str) -> str:
        declared = next((s for s in wiring.settings if s.name == name), None)
        if name in self._settings:
            return self._settings[name]
        if declared is None:
            raise KeyError(f"{wiring.name}: setting {name!r} is not declared")
        value = declared.local_default if declared.local_default is not None else declared.default
        if value is None:
            raise KeyError(f"{wiring.name}: setting {name!r} has no local value")
        return value

    def provision(self, wiring: ServiceWiring) -> ProvisionedService:
        self.ensure_bus()
        out = ProvisionedService(wiring=wiring, env={BUS_ENV_VAR: self.names.bus})
        for table in wiring.tables:
            self._table(wiring.name, table, out)
        for queue in wiring.queues:
            self._queue(wiring.name, queue, out)
        for sub in wiring.subscriptions:
            self._subscription(
                wiring.name,
                sub.name,
                sub.pattern,
                out.queue_urls[sub.queue],
                bus=DEFAULT_BUS if sub.on_default_bus else self.names.bus,
            )
        for topic in wiring.topics:
            arn = self._client("sns").create_topic(
                Name=self.names.physical(wiring.name, topic.name)
            )
            out.topic_arns[topic.name] = arn["TopicArn"]
            out.env[topic.env_var] = arn["TopicArn"]
        for group in wiring.schedule_groups:
            self._schedule_group(wiring.name, group, out)
        for pool in wiring.user_pools:
            out.user_pools[pool.name] = self._user_pool(wiring.name, pool)
        for secret in wiring.secrets:
            out.secret_ids[secret.name] = self._secret(wiring.name, secret.name, secret.description)
            out.env[secret.env_var] = out.secret_ids[secret.name]
        for machine in wiring.state_machines:
            arn = self._state_machine(wiring, machine, out)
            out.state_machine_arns[machine.name] = arn
            out.env[machine.env_var] = arn
        self._email(wiring, out)
        for setting in wiring.settings:
            if setting.env_var:
                out.env[setting.env_var] = self.setting(wiring, setting.name)
        self._function_environment(wiring, out)
        return out

    def _function_environment(self, wiring: ServiceWiring, out: ProvisionedService) -> None:
        for fn in wiring.functions:
            if isinstance(fn.trigger, FunctionUrlTrigger) and fn.trigger.env_var:
                url = self._function_urls.get(f"{wiring.name}/{fn.name}")
                if url is None:
                    raise KeyError(f"no local URL for {wiring.name}/{fn.name}")
                out.env[fn.trigger.env_var] = url.rstrip("/")
            out.env.update(fn.environment)

    def _email(self, wiring: ServiceWiring, out: ProvisionedService) -> None:
        for sender in wiring.email_sender_settings:
            self._client("sesv2").create_email_identity(EmailIdentity=self.setting(wiring, sender))
        for configuration_set in wiring.email_configuration_sets:
            # moto keeps the set but never publishes its events: local.ses_events does.
            physical = self.names.physical(wiring.name, configuration_set.name)
            self._client("sesv2").create_configuration_set(ConfigurationSetName=physical)
            out.configuration_sets[configuration_set.name] = physical
            out.env[configuration_set.env_var] = physical

    def _table(self, service: str, table: Table, out: ProvisionedService) -> None:
        ddb = self._client("dynamodb")
        name = self.names.physical(service, table.name)
        args: dict[str, Any] = {
            "TableName": name,
            "KeySchema": _key_schema(table.partition_key, table.sort_key),
            "AttributeDefinitions": [
                {"AttributeName": attribute, "AttributeType": "S"}
                for attribute in table.key_attributes()
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if table.indexes:
            args["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": _key_schema(index.partition_key, index.sort_key),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in table.indexes
            ]
        if table.stream:
            args["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            }
        created = ddb.create_table(**args)["TableDescription"]
        if table.ttl_attribute:
            ddb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
            )
        out.tables[table.name] = name
        out.env[table.env_var] = name
        if table.stream:
            out.table_streams[table.name] = created["LatestStreamArn"]

    def _schedule_group(self, service: str, group: ScheduleGroup, out: ProvisionedService) -> None:
        # moto keeps the group and its schedules but never fires them: local.schedules does.
        physical = self.names.physical(service, group.name)
        self._client("scheduler").create_schedule_group(Name=physical)
        out.schedule_groups[group.name] = physical
        out.env[group.group_env_var] = physical
        out.env[group.target_env_var] = self.queue_arn(out.queue_urls[group.target_queue])
        out.env[group.dlq_env_var] = self.queue_arn(out.dlq_urls[group.target_queue])
        # Nothing checks roles locally; the ARN has the shape Scheduler expects.
        out.env[group.role_env_var] = f"arn:aws:iam::123456789012:role/{physical}-scheduler"

    def _user_pool(self, service: str, pool: UserPool) -> ProvisionedUserPool:
        cognito = self._client("cognito-idp")
        pool_id = cognito.create_user_pool(
            PoolName=self.names.physical(service, pool.name),
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            Schema=[
                {"Name": attribute, "AttributeDataType": "String", "Required": True}
                for attribute in pool.required_attributes
            ],
        )["UserPool"]["Id"]
        client_ids: dict[str, str] = {}
        for client in pool.clients:
            created = cognito.create_user_pool_client(
                UserPoolId=pool_id,
                ClientName=client.name,
                GenerateSecret=False,
                ExplicitAuthFlows=[
                    *(f"ALLOW_{flow}" for flow in client.auth_flows),
                    "ALLOW_REFRESH_TOKEN_AUTH",
                ],
                ReadAttributes=["email", "email_verified", *pool.required_attributes],
                PreventUserExistenceErrors="ENABLED",
            )
            client_ids[client.name] = created["UserPoolClient"]["ClientId"]
        return ProvisionedUserPool(pool_id=pool_id, client_ids=client_ids)

    def _queue(self, service: str, queue: Queue, out: ProvisionedService) -> None:
        sqs = self._client("sqs")
        name = self.names.physical(service, queue.name)
        dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
        dlq_arn = self.queue_arn(dlq_url)
        visibility = self._visibility or queue.visibility_timeout_seconds
        url = sqs.create_queue(
            QueueName=name,
            Attributes={
                "VisibilityTimeout": str(visibility),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}
                ),
            },
        )["QueueUrl"]
        out.queue_urls[queue.name] = url
        out.dlq_urls[queue.name] = dlq_url
        if queue.env_var:
            out.env[queue.env_var] = url

    def queue_arn(self, url: str) -> str:
        attributes = self._client("sqs").get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn"]
        )
        return str(attributes["Attributes"]["QueueArn"])

    def _subscription(
        self, service: str, name: str, pattern: dict[str, Any], queue_url: str, *, bus: str
    ) -> None:
        events = self._client("events")
        rule = self.names.physical(service, name)
        events.put_rule(
            Name=rule,
            EventBusName=bus,
            EventPattern=json.dumps(pattern),
            State="ENABLED",
        )
        events.put_targets(
            Rule=rule,
            EventBusName=bus,
            Targets=[{"Id": "queue", "Arn": self.queue_arn(queue_url)}],
        )

    def _secret(self, service: str, name: str, description: str) -> str:
        # By name, not ARN: the ARN's random suffix would differ on every start.
        physical = self.names.physical(service, name)
        self._client("secretsmanager").create_secret(
            Name=physical, Description=description, SecretString=secrets.token_hex(32)
        )
        return physical

    def _state_machine(
        self, wiring: ServiceWiring, machine: StateMachine, out: ProvisionedService
    ) -> str:
        values = {
            placeholder: self._substitution(wiring, source, out)
            for placeholder, source in machine.substitutions.items()
        }
        definition = render_asl(REPO_ROOT / machine.definition_file, values)
        created = self._client("stepfunctions").create_state_machine(
            name=self.names.physical(wiring.name, machine.name),
            definition=definition,
            roleArn=f"arn:aws:iam::123456789012:role/{self.names.physical(wiring.name, 'sfn')}",
            type="STANDARD",
        )
        return str(created["stateMachineArn"])

    def _substitution(self, wiring: ServiceWiring, source: str, out: ProvisionedService) -> str:
        kind, _, name = source.partition(":")
        if kind == "queue_url":
            return out.queue_urls[name]
        if kind == "bus_name":
            return self.names.bus
        if kind == "setting":
            return self.setting(wiring, name)
        raise ValueError(f"{wiring.name}: unknown substitution source {source!r}")


def _key_schema(partition_key: str, sort_key: str | None) -> list[dict[str, str]]:
    keys = [{"AttributeName": partition_key, "KeyType": "HASH"}]
    if sort_key:
        keys.append({"AttributeName": sort_key, "KeyType": "RANGE"})
    return keys


def _default_client(service: str) -> Any:
    return boto3.client(service)  # type: ignore[call-overload]


def provision(
    wiring: ServiceWiring, names: LocalNames | None = None, **kwargs: Any
) -> ProvisionedService:
    """Provision one service with a fresh provisioner (tests' shortcut)."""
    return Provisioner(names or LocalNames(), **kwargs).provision(wiring)
