"""``Shop<Service>``: one service built from its wiring, finding the bus through SSM."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.build.context import BuiltService
from infra.build.service import ServiceBuilder
from infra.config import DeployConfig
from infra.naming import bus_parameters
from infra.observability import ExtraWidgets, ServiceObservability
from infra.stacks.domain_alarms import EXTRA_ALARMS
from services.common.wiring import ServiceWiring


class ServiceStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        wiring: ServiceWiring,
        config: DeployConfig,
        extra_widgets: ExtraWidgets | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # Resolved by CloudFormation at deploy time: no export ties this stack to ShopBus.
        bus_name = ssm.StringParameter.value_for_string_parameter(
            self, bus_parameters(config.stage).name
        )
        bus = events.EventBus.from_event_bus_name(self, "Bus", bus_name)
        self.built: BuiltService = ServiceBuilder(self, wiring, config, bus).build()
        self.observability = ServiceObservability(
            self,
            "Observability",
            built=self.built,
            config=config,
            extra_widgets=extra_widgets,
            extra_alarms=EXTRA_ALARMS.get(wiring.name),
        )
