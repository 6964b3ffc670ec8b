"""The CDK app: ``ShopAccount`` (once per account), then per stage ``ShopBus`` and one stack
per service, each deployable on its own.

Run by the CDK CLI through ``cdk.json`` (``npx aws-cdk deploy ShopOrders -c stage=dev``);
tests call ``build_app`` in-process. Context values are described in ``docs/deploy.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from aws_cdk import App, Stack, Tags
from constructs import Construct

from infra import nag
from infra.config import DeployConfig
from infra.naming import ACCOUNT_STACK_NAME, stack_id, stack_name
from infra.stacks.account import AccountStack
from infra.stacks.bus import BusStack
from infra.stacks.service import ServiceStack
from infra.stacks.widgets import EXTRA_WIDGETS
from services.common.wiring import ServiceWiring

SERVICES = ("orders", "workflow", "approvals", "notifications")
BUS_STACK_ID = "ShopBus"
ACCOUNT_STACK_ID = "ShopAccount"


def load_wiring(service: str) -> ServiceWiring:
    wiring = importlib.import_module(f"services.{service}.wiring").WIRING
    if not isinstance(wiring, ServiceWiring) or wiring.name != service:
        raise TypeError(f"services/{service}/wiring.py must define WIRING for {service!r}")
    return wiring


def build_app(
    app: App | None = None,
    *,
    services: Sequence[str] = SERVICES,
    include_bus: bool = True,
    include_account: bool = True,
) -> App:
    """The app with the account stack, the stage's bus stack and the named service stacks
    (all of them by default), for the stage named in context."""
    app = app or App()
    config = DeployConfig.from_node(app.node)
    if include_account:
        account_stack(app, config)
    add_stage(app, config, services=services, include_bus=include_bus)
    nag.check(app)
    Tags.of(app).add("project", "shop-workflow")
    return app


def account_stack(scope: Construct, config: DeployConfig) -> AccountStack:
    return AccountStack(
        scope,
        ACCOUNT_STACK_ID,
        config=config,
        wirings=[load_wiring(service) for service in SERVICES],
        stack_name=ACCOUNT_STACK_NAME,
        description="shop: what every stage in this account shares (SES identities, reputation)",
    )


def add_stage(
    scope: Construct,
    config: DeployConfig,
    *,
    services: Sequence[str] = SERVICES,
    include_bus: bool = True,
) -> list[Stack]:
    """One stage's stacks in ``scope``; their physical names all derive from the stage."""
    bus: BusStack | None = None
    if include_bus:
        bus = BusStack(
            scope,
            BUS_STACK_ID,
            config=config,
            stack_name=stack_name(config.stage, "bus"),
            description=f"shop ({config.stage}): event bus, archive, schema registry",
        )
    stacks: list[Stack] = [bus] if bus else []
    for service in services:
        created = ServiceStack(
            scope,
            stack_id(service),
            wiring=load_wiring(service),
            config=config,
            extra_widgets=EXTRA_WIDGETS.get(service),
            stack_name=stack_name(config.stage, service),
            description=f"shop ({config.stage}): the {service} service",
        )
        if bus is not None:
            # Deploy order only: the service reads the bus's SSM parameter, no export.
            created.add_stack_dependency(bus, "finds the bus through its SSM parameter")
        stacks.append(created)
    for stack in stacks:
        Tags.of(stack).add("stage", config.stage)
    return stacks


def main() -> None:
    build_app().synth()


if __name__ == "__main__":
    main()
