"""The CDK app: ``ShopBus`` plus one stack per service, each deployable on its own.

Run by the CDK CLI through ``cdk.json`` (``npx aws-cdk deploy ShopOrders -c stage=dev``);
tests call ``build_app`` in-process. Context values are described in ``docs/deploy.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from aws_cdk import App, Tags

from infra import nag
from infra.config import DeployConfig
from infra.naming import stack_id, stack_name
from infra.stacks.bus import BusStack
from infra.stacks.service import ServiceStack
from infra.stacks.widgets import EXTRA_WIDGETS
from services.common.wiring import ServiceWiring

SERVICES = ("orders", "workflow", "approvals", "notifications")
BUS_STACK_ID = "ShopBus"


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
) -> App:
    """The app with the bus stack and the named service stacks (all of them by default)."""
    app = app or App()
    config = DeployConfig.from_node(app.node)
    if include_bus:
        BusStack(
            app,
            BUS_STACK_ID,
            config=config,
            stack_name=stack_name(config.stage, "bus"),
            description=f"shop ({config.stage}): event bus, archive, schema registry",
        )
    for service in services:
        ServiceStack(
            app,
            stack_id(service),
            wiring=load_wiring(service),
            config=config,
            extra_widgets=EXTRA_WIDGETS.get(service),
            stack_name=stack_name(config.stage, service),
            description=f"shop ({config.stage}): the {service} service",
        )
    nag.check(app)
    Tags.of(app).add("project", "shop-workflow")
    Tags.of(app).add("stage", config.stage)
    return app


def main() -> None:
    build_app().synth()


if __name__ == "__main__":
    main()
