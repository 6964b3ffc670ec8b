"""An order's journeys through the deployed stacks, reached only through their endpoints."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.deploy import journeys
from tests.deploy.conftest import Variant, deploy_check
from tests.deploy.shop import Customer, DeployedShop

pytestmark = deploy_check

JOURNEYS: dict[str, Callable[[DeployedShop, Customer], None]] = {
    "approve": journeys.approve,
    "reject": journeys.reject,
    "timeout": journeys.time_out,
}


@pytest.mark.parametrize("name", list(JOURNEYS))
def test_journey(name: str, variant: Variant, shop: DeployedShop, customer: Customer) -> None:
    if name not in variant.journeys:
        pytest.skip(f"the {variant.name} variant runs the {', '.join(variant.journeys)} journey")

    JOURNEYS[name](shop, customer)
