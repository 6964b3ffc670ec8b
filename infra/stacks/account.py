"""``ShopAccount``: what every stage in an account and region shares, deployed once.

The SES sender identities (a verified address or domain belongs to the account, not to a
stage: a stage's ``cdk destroy`` must never delete the sender another stage sends from) and
the alarms on SES's account-wide reputation metrics. Stage stacks never reference this stack;
they scope ``ses:SendEmail`` to the identity ARNs built from the same addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ses as ses
from constructs import Construct

from infra.config import DeployConfig
from infra.naming import pascal
from infra.observability import alarm_actions
from services.common.wiring import ServiceWiring

# SES puts an account under review at a 5 % bounce rate or a 0.1 % complaint rate; the
# alarms fire earlier, while there is still time to find the cause.
BOUNCE_RATE_ALARM = 0.04
COMPLAINT_RATE_ALARM = 0.0008
REPUTATION_PERIOD = Duration.hours(1)


class AccountStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: DeployConfig,
        wirings: Sequence[ServiceWiring],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.identities: dict[str, ses.EmailIdentity] = {}
        if config.create_ses_identities:
            for identity in sender_identities(config, wirings) or self._missing_sender():
                self._identity(identity)
        self.alarms = [
            self._reputation_alarm(
                "BounceRate",
                "Reputation.BounceRate",
                BOUNCE_RATE_ALARM,
                "The account's SES bounce rate is near the 5 % review threshold: look for "
                "invalid addresses in the notifications ledger (status failed) before SES "
                "pauses sending.",
                config,
            ),
            self._reputation_alarm(
                "ComplaintRate",
                "Reputation.ComplaintRate",
                COMPLAINT_RATE_ALARM,
                "The account's SES complaint rate is near the 0.1 % review threshold: "
                "customers mark the shop's mail as spam.",
                config,
            ),
        ]

    def _identity(self, identity: str) -> None:
        created = ses.EmailIdentity(
            self,
            f"{pascal(identity.replace('@', '-at-').replace('.', '-'))}Identity",
            identity=(
                ses.Identity.email(identity) if "@" in identity else ses.Identity.domain(identity)
            ),
        )
        # Verified by a person clicking a link (or by DNS records): never deleted by a deploy.
        created.apply_removal_policy(RemovalPolicy.RETAIN)
        self.identities[identity] = created

    def _missing_sender(self) -> list[str]:
        Annotations.of(self).add_error(
            "No SES sender identity to create: pass the From address of customer emails with "
            "`-c sender_email=shop@example.com` (or list identities with "
            "`-c ses_identities=shop@example.com,example.com`, or deploy with "
            "`-c create_ses_identities=false` when they exist already)."
        )
        return []

    def _reputation_alarm(
        self,
        construct_id: str,
        metric_name: str,
        threshold: float,
        description: str,
        config: DeployConfig,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=cloudwatch.Metric(
                namespace="AWS/SES",
                metric_name=metric_name,
                statistic="Maximum",
                period=REPUTATION_PERIOD,
            ),
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            # SES publishes the rates only while the account sends: no mail, no risk.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        for action in alarm_actions(self, config):
            alarm.add_alarm_action(action)
        return alarm


def sender_identities(config: DeployConfig, wirings: Sequence[ServiceWiring]) -> list[str]:
    """``ses_identities`` when given, else every address a service sends from."""
    if config.ses_identities:
        return list(config.ses_identities)
    addresses = [
        config.setting(wiring.name, setting)
        for wiring in wirings
        for setting in wiring.email_sender_settings
    ]
    return list(dict.fromkeys(a for a in addresses if a))
