"""The approve journey with the emulator enforcing IAM: every grant the stacks declare is then
checked on every call, as AWS does. Written, and skipped while the emulator's own
authorization gaps deny calls that the stacks do grant."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.deploy import journeys
from tests.deploy.conftest import Variant, deploy_check
from tests.deploy.shop import SKU, DeployedShop
from tools.deploy_check.deployment import Deployment
from tools.deploy_check.emulator import Emulator
from tools.deploy_check.toolchain import STATE_DIR, Toolchain

pytestmark = deploy_check

IAM_GAPS = (
    "ministack 1.5.33 with IAM enforcement on (AUTH=true) denies calls the stacks grant: "
    'the CDK CLI cannot publish assets through the bootstrap roles ("Bucket named '
    "'cdk-hnb659fds-assets-...' exists, but we dont have access to it\"), and, deployed by "
    "hand, the notifications function's ses:SendEmail and the state machine's sqs:SendMessage "
    "(waitForTaskToken) were denied. Upstream: https://github.com/ministackorg/ministack "
    "(IAM enforcement since pull request #1471); remove this skip when a release allows them."
)


@pytest.fixture(scope="module")
def iam_enforced_shop(variant: Variant) -> Iterator[DeployedShop]:
    toolchain = Toolchain.installed()
    workdir = STATE_DIR / "run-iam"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    emulator = Emulator(toolchain.emulator_python, workdir, enforce_iam=True)
    deployed = Deployment(toolchain, emulator, workdir, stacks=variant.stacks, app=variant.app)
    deployed.synthesise()
    with emulator:
        try:
            deployed.deploy()
            shop = DeployedShop(deployed)
            shop.stock(SKU, "Earl Grey", "4.50", "EUR")
            yield shop
        finally:
            deployed.destroy()


@pytest.mark.skip(reason=IAM_GAPS)
def test_approve_journey_with_iam_enforced(iam_enforced_shop: DeployedShop) -> None:
    journeys.approve(iam_enforced_shop, iam_enforced_shop.sign_up("Grace Hopper"))
