"""Deploy-time choices, read once from CDK context (``cdk.json`` or ``-c key=value``).

Values given with ``-c`` arrive as strings, values from ``cdk.json`` keep their JSON type, so
every reader here accepts both. A service setting (``Setting`` in a wiring) is looked up as
``<service>.<name>`` first, then as plain ``<name>``, then falls back to the setting's
declared cloud default.

Every physical name derives from ``stage`` (``shop-<stage>`` for the bus, ``Shop/<stage>`` for
metrics, ``/shop/<stage>/...`` for parameters), so stages share an account without colliding;
there is no context key to name one resource by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from constructs import Node

from infra.targets import ADAPTATIONS, Adaptation, Target

STAGE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
ACCOUNT_PATTERN = re.compile(r"^[0-9]{12}$")


_RETENTION = {
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


# Keys an older cdk.json may still hold; silently ignoring them would deploy something else.
RETIRED_KEYS = {
    "bus_name": "the bus is named shop-<stage>; choose the stage with -c stage=...",
    "powertools_layer": "Powertools ships in the functions' own layer, pinned in "
    "infra/layer/requirements.txt; change the version there",
}


class ConfigError(ValueError):
    """A context value that cannot be used; the message names the context key."""


@dataclass(frozen=True)
class DeployConfig:
    stage: str = "dev"
    owner_email: str | None = None
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN
    log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH
    archive_retention_days: int = 90
    alarm_topic_arn: str | None = None
    create_ses_identities: bool = True
    ses_sandbox_recipients: tuple[str, ...] = ()
    subscriber_accounts: tuple[str, ...] = ()
    # The address or domain identities ``ShopAccount`` creates (default: ``sender_email``).
    ses_identities: tuple[str, ...] = ()
    # AWS, or the emulator the deploy check runs on (infra/targets.py: what it leaves out).
    target: Target = Target.AWS
    lookup: Callable[[str], Any] = field(default=lambda _key: None, repr=False, compare=False)

    @property
    def bus_name(self) -> str:
        return f"shop-{self.stage}"

    def leaves_out(self, adaptation: Adaptation) -> bool:
        """Whether the target cannot create what ``adaptation`` names, so it is not built."""
        return adaptation in ADAPTATIONS[self.target]

    @property
    def metrics_namespace(self) -> str:
        """The CloudWatch namespace of the stage's own metrics (Powertools and log filters)."""
        return f"Shop/{self.stage}"

    @classmethod
    def from_node(cls, node: Node) -> DeployConfig:
        return cls.from_lookup(node.try_get_context)

    @classmethod
    def from_lookup(cls, lookup: Callable[[str], Any]) -> DeployConfig:
        """``lookup(key)`` returns a context value or None (``node.try_get_context``)."""
        defaults = cls()
        for key, instead in RETIRED_KEYS.items():
            if lookup(key) is not None:
                raise ConfigError(f"context {key!r} is no longer read: {instead}")
        stage = _text(lookup, "stage") or defaults.stage
        if not STAGE_PATTERN.match(stage):
            raise ConfigError(f"context 'stage' must match {STAGE_PATTERN.pattern}: {stage!r}")
        retention_days = _int(lookup, "log_retention_days", 30)
        retention = _RETENTION.get(retention_days)
        if retention is None:
            raise ConfigError(
                f"context 'log_retention_days' must be one of {sorted(_RETENTION)}: "
                f"{retention_days}"
            )
        accounts = _list(lookup, "subscriber_accounts")
        if bad := [a for a in accounts if not ACCOUNT_PATTERN.match(a)]:
            raise ConfigError(f"context 'subscriber_accounts' holds non-account ids: {bad}")
        return cls(
            stage=stage,
            owner_email=_text(lookup, "owner_email"),
            removal_policy=_removal_policy(_text(lookup, "removal_policy") or "retain"),
            log_retention=retention,
            archive_retention_days=_int(lookup, "archive_retention_days", 90),
            alarm_topic_arn=_text(lookup, "alarm_topic_arn"),
            create_ses_identities=_bool(lookup, "create_ses_identities", default=True),
            ses_sandbox_recipients=_list(lookup, "ses_sandbox_recipients"),
            subscriber_accounts=accounts,
            ses_identities=_list(lookup, "ses_identities"),
            target=_target(lookup),
            lookup=lookup,
        )

    def contact(self, key: str) -> str | None:
        """The address a topic is subscribed to: ``owner_email``, or another context key
        (``backup_approver_email``)."""
        return self.owner_email if key == "owner_email" else _text(self.lookup, key)

    def setting(self, service: str, name: str) -> str | None:
        """The deployer's value for a service setting, if any was given."""
        for key in (f"{service}.{name}", name):
            value = _text(self.lookup, key)
            if value is not None:
                return value
        return None


def _text(lookup: Callable[[str], Any], key: str) -> str | None:
    value = lookup(key)
    if value is None or str(value).strip() == "":
        return None
    return str(value).strip()


def _int(lookup: Callable[[str], Any], key: str, default: int) -> int:
    text = _text(lookup, key)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"context {key!r} must be a whole number: {text!r}") from None


def _bool(lookup: Callable[[str], Any], key: str, *, default: bool) -> bool:
    value = lookup(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0"}:
        return False
    raise ConfigError(f"context {key!r} must be true or false: {value!r}")


def _list(lookup: Callable[[str], Any], key: str) -> tuple[str, ...]:
    value = lookup(key)
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _target(lookup: Callable[[str], Any]) -> Target:
    text = _text(lookup, "target") or Target.AWS.value
    try:
        return Target(text.lower())
    except ValueError:
        choices = ", ".join(t.value for t in Target)
        raise ConfigError(f"context 'target' must be one of {choices}: {text!r}") from None


def _removal_policy(text: str) -> RemovalPolicy:
    policies = {"retain": RemovalPolicy.RETAIN, "destroy": RemovalPolicy.DESTROY}
    try:
        return policies[text.lower()]
    except KeyError:
        raise ConfigError(f"context 'removal_policy' must be retain or destroy: {text!r}") from None
