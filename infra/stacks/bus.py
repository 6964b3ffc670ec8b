"""``ShopBus``: the event bus, its archive, the schema registry and the SSM parameters that
let every service stack find the bus without CloudFormation exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_eventschemas as eventschemas
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.config import DeployConfig
from infra.event_schemas import SCHEMAS_DIR, registry_schemas
from infra.naming import bus_parameters
from infra.targets import EVENT_ARCHIVE, SCHEMA_REGISTRY

# Events the shop's services publish; the archive keeps them for replay.
SHOP_SOURCE_PREFIX = "shop."
# What an account named in `subscriber_accounts` may do on the bus: manage its own rules.
SUBSCRIBER_ACTIONS = [
    "events:PutRule",
    "events:DeleteRule",
    "events:DescribeRule",
    "events:DisableRule",
    "events:EnableRule",
    "events:PutTargets",
    "events:RemoveTargets",
]


class BusStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        schemas_dir: Path = SCHEMAS_DIR,
        **kwargs: Any,
    ) -> None:
        """``schemas_dir`` holds the committed contract; every version in it is registered."""
        super().__init__(scope, construct_id, **kwargs)
        self.bus = events.EventBus(self, "Bus", event_bus_name=config.bus_name)
        if not config.leaves_out(EVENT_ARCHIVE):
            self.bus.archive(
                "Archive",
                description="Every shop event, for replay after a consumer bug is fixed.",
                event_pattern=events.EventPattern(source=events.Match.prefix(SHOP_SOURCE_PREFIX)),
                retention=Duration.days(config.archive_retention_days),
            )
        if not config.leaves_out(SCHEMA_REGISTRY):
            self._registry(config, schemas_dir)
        self._subscribers(config)
        parameters = bus_parameters(config.stage)
        ssm.StringParameter(
            self,
            "BusNameParameter",
            parameter_name=parameters.name,
            string_value=self.bus.event_bus_name,
            description="Name of the shop event bus; service stacks read it at deploy time.",
        )
        ssm.StringParameter(
            self,
            "BusArnParameter",
            parameter_name=parameters.arn,
            string_value=self.bus.event_bus_arn,
            description="ARN of the shop event bus, for rules and cross-account targets.",
        )
        CfnOutput(self, "BusName", value=self.bus.event_bus_name)
        CfnOutput(self, "BusArn", value=self.bus.event_bus_arn)

    def _registry(self, config: DeployConfig, schemas_dir: Path) -> None:
        registry = eventschemas.CfnRegistry(
            self,
            "SchemaRegistry",
            registry_name=f"shop-{config.stage}",
            description="The shop's event contract (events/schemas, translated to Draft 4).",
        )
        # Every committed version, not only the latest: a consumer still on v1 keeps finding
        # (and generating code bindings from) the schema it was built on.
        for schema in registry_schemas(schemas_dir):
            eventschemas.CfnSchema(
                self,
                f"Schema{schema.name.split('@')[1].replace('.', '')}",
                registry_name=registry.attr_registry_name,
                schema_name=schema.name,
                type="JSONSchemaDraft4",
                content=json.dumps(schema.content, sort_keys=True),
                description=schema.description,
            )

    def _subscribers(self, config: DeployConfig) -> None:
        """Let named accounts create and manage their own rules on the bus (no one else's)."""
        for account in config.subscriber_accounts:
            self.bus.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=f"Subscriber{account}",
                    principals=[iam.AccountPrincipal(account)],
                    actions=SUBSCRIBER_ACTIONS,
                    resources=[
                        self.format_arn(
                            service="events",
                            resource="rule",
                            resource_name=f"{config.bus_name}/*",
                        )
                    ],
                    conditions={
                        "StringEqualsIfExists": {"events:creatorAccount": "${aws:PrincipalAccount}"}
                    },
                )
            )
