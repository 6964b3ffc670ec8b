"""Turns a service's ``ServiceWiring`` into CDK constructs: the cloud twin of ``local/provision``.

Everything a service owns is read from its declarations: tables, queues (each with its DLQ),
bus rules, topics, secrets, settings, state machines and functions with their triggers and
permissions. The functions get exactly the environment variables the local provisioner hands
them, so the handlers cannot tell the two apart. Nothing here knows a service by name.
"""

from __future__ import annotations

from aws_cdk import aws_events as events
from constructs import Construct

from infra.build import (
    api,
    functions,
    messaging,
    permissions,
    schedules,
    settings,
    statemachine,
    storage,
    user_pools,
)
from infra.build.context import BuildContext, BuiltService
from infra.config import DeployConfig
from services.common.wiring import BUS_ENV_VAR, ServiceWiring


class ServiceBuilder:
    def __init__(
        self,
        scope: Construct,
        wiring: ServiceWiring,
        config: DeployConfig,
        bus: events.IEventBus,
    ) -> None:
        self.ctx = BuildContext(
            scope=scope,
            wiring=wiring,
            config=config,
            bus=bus,
            out=BuiltService(wiring=wiring, metrics_namespace=config.metrics_namespace),
        )

    def build(self) -> BuiltService:
        # The order is part of the templates: each step reads names the ones before it built.
        ctx, wiring = self.ctx, self.ctx.wiring
        ctx.out.environment[BUS_ENV_VAR] = ctx.bus.event_bus_name
        settings.resolve(ctx)
        for table in wiring.tables:
            storage.table(ctx, table)
        for queue in wiring.queues:
            messaging.queue(ctx, queue)
        # Before the rules: a default-bus rule takes only its own configuration sets' events.
        for configuration_set in wiring.email_configuration_sets:
            messaging.configuration_set(ctx, configuration_set)
        for pool in wiring.user_pools:
            user_pools.user_pool(ctx, pool)
        for subscription in wiring.subscriptions:
            messaging.rule(ctx, subscription)
        for topic in wiring.topics:
            messaging.topic(ctx, topic)
        for group in wiring.schedule_groups:
            schedules.schedule_group(ctx, group)
        for secret in wiring.secrets:
            storage.secret(ctx, secret)
        for machine in wiring.state_machines:
            statemachine.state_machine(ctx, machine)
        functions.complete_environment(ctx)
        functions.functions(ctx)
        for fn in wiring.functions:
            functions.trigger(ctx, fn)
            permissions.grant(ctx, fn)
        api.share_function_urls(ctx)
        return ctx.out
