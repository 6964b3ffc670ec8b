"""Names that stacks agree on without referencing each other (no CloudFormation exports)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BusParameters:
    """The SSM parameters the bus stack writes and every service stack reads."""

    name: str
    arn: str


# The one stack that is not per stage: what an account shares (SES identities).
ACCOUNT_STACK_NAME = "shop-account"


def bus_parameters(stage: str) -> BusParameters:
    return BusParameters(name=f"/shop/{stage}/bus/name", arn=f"/shop/{stage}/bus/arn")


def event_source(service: str) -> str:
    """The ``source`` of every event a service publishes (the contract's producer name)."""
    return f"shop.{service}"


@dataclass(frozen=True)
class UserPoolParameters:
    """The SSM parameters a service writes for one of its user pools: what a storefront
    needs to sign customers in and call the API."""

    pool_id: str
    prefix: str

    def client_id(self, client: str) -> str:
        return f"{self.prefix}/clients/{client}/id"


def user_pool_parameters(stage: str, service: str, pool: str) -> UserPoolParameters:
    prefix = f"/shop/{stage}/{service}/user-pools/{pool}"
    return UserPoolParameters(pool_id=f"{prefix}/id", prefix=prefix)


def stack_id(service: str) -> str:
    """The id the CDK CLI selects a stack by: ``cdk deploy ShopOrders``."""
    return "Shop" + "".join(part.capitalize() for part in service.split("-"))


def stack_name(stage: str, service: str) -> str:
    """The CloudFormation stack name: stages can live side by side in one account."""
    return f"shop-{stage}-{service}"


def pascal(name: str) -> str:
    """``status-events`` -> ``StatusEvents``: construct ids from logical names."""
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))
