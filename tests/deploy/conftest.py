"""The deploy check: the CDK app deployed onto the ministack emulator and driven end to end.

Runs only under ``make deploy-check`` (and ``make test``), which installs the emulator and the
CDK CLI and sets ``SHOP_DEPLOY_CHECK`` to the app variant to deploy: ``shop`` (the app) or a
test-only broken variant that must make the check fail. Elsewhere every test here is skipped.

One session: synthesise for the emulator (``-c target=ministack``), start the emulator on a
free loopback port, bootstrap, deploy each stack alone in order; after the last test, or the
first failure of the set-up, destroy the stacks and stop the emulator, whatever happened.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from tests.deploy.shop import SKU, Customer, DeployedShop
from tools.deploy_check.deployment import Deployment
from tools.deploy_check.emulator import Emulator
from tools.deploy_check.toolchain import STATE_DIR, Toolchain

VARIANT_ENV_VAR = "SHOP_DEPLOY_CHECK"
SERVICE_STACKS = ("ShopOrders", "ShopWorkflow", "ShopApprovals", "ShopNotifications")


@dataclass(frozen=True)
class Variant:
    name: str
    # A module that synthesises a test-only variant of the app; None: infra.app itself.
    app: str | None
    # Deploy order: the account's SES identity, the bus, then each service alone.
    stacks: tuple[str, ...]
    journeys: tuple[str, ...]


VARIANTS = {
    "shop": Variant(
        "shop",
        app=None,
        stacks=("ShopAccount", "ShopBus", *SERVICE_STACKS),
        journeys=("approve", "reject", "timeout"),
    ),
    # The notifications rule for OrderPlaced listens to a misspelt source: the approve
    # journey must fail at its order-received email step.
    "broken-rule": Variant(
        "broken-rule",
        app="tests.deploy.broken_app",
        stacks=("ShopAccount", "ShopBus", "ShopOrders", "ShopNotifications"),
        journeys=("approve",),
    ),
}

deploy_check = [
    pytest.mark.deploy,
    pytest.mark.skipif(
        VARIANT_ENV_VAR not in os.environ, reason="the deploy check runs in `make deploy-check`"
    ),
]


@pytest.fixture(scope="session")
def variant() -> Variant:
    name = os.environ.get(VARIANT_ENV_VAR, "")
    if name not in VARIANTS:
        raise pytest.UsageError(f"{VARIANT_ENV_VAR}={name!r}: one of {', '.join(VARIANTS)}")
    return VARIANTS[name]


@pytest.fixture(scope="session")
def deployment(variant: Variant) -> Iterator[Deployment]:
    toolchain = Toolchain.installed()
    workdir = STATE_DIR / "run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    with ExitStack() as cleanup:
        # Before the emulator starts: a synthesis error needs nothing stopped.
        emulator = Emulator(toolchain.emulator_python, workdir)
        deployed = Deployment(toolchain, emulator, workdir, stacks=variant.stacks, app=variant.app)
        deployed.synthesise()
        cleanup.enter_context(emulator)
        cleanup.callback(_destroy, deployed)
        deployed.deploy()
        yield deployed


def _destroy(deployed: Deployment) -> None:
    failures = deployed.destroy()
    if failures:
        pytest.fail("destroying the stacks failed:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture(scope="session")
def shop(deployment: Deployment) -> DeployedShop:
    deployed = DeployedShop(deployment)
    deployed.stock(SKU, "Earl Grey", "4.50", "EUR")
    return deployed


@pytest.fixture(scope="session")
def customer(shop: DeployedShop) -> Customer:
    return shop.sign_up("Ada Lovelace")
