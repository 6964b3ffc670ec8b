"""Turns the notifications settings into the adapters each of its functions needs.

Each builder reads only the settings its function has and makes the clients; the handler
caches the result, so it happens once per execution environment, on first use (importing a
handler stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

import functools
from datetime import timedelta

import boto3

from events.publisher import EventBridgePublisher
from services.notifications.adapters.ledger import DynamoDbSentEmailLedger
from services.notifications.adapters.opt_outs import DynamoOptOuts, SecretKey
from services.notifications.adapters.outcomes import BusOutcomeAnnouncer
from services.notifications.domain.notify import (
    ClaimPolicy,
    DeliveryDependencies,
    EmailDependencies,
    Unsubscribe,
)
from services.notifications.domain.opt_out import OptOutDependencies
from services.notifications.settings import (
    MAX_SEND_ATTEMPTS,
    LedgerSettings,
    NotificationsSettings,
    UnsubscribeSettings,
)
from services.notifications.unsubscribe import UnsubscribeLinks


def email() -> EmailDependencies:
    """What the email function needs."""
    # Imported here, not above: the delivery-report and unsubscribe functions build from this
    # module too and would otherwise load Jinja2 at every cold start for nothing.
    from services.notifications.adapters.mailer import SES_CLIENT_CONFIG, SesMailer  # noqa: PLC0415
    from services.notifications.adapters.renderer import JinjaRenderer  # noqa: PLC0415

    settings = NotificationsSettings.from_env()
    return EmailDependencies(
        ledger=_ledger(settings),
        mailer=SesMailer(
            boto3.client("sesv2", config=SES_CLIENT_CONFIG),
            settings.notifications_sender_email,
            settings.notifications_configuration_set,
        ),
        renderer=JinjaRenderer(),
        policy=ClaimPolicy(
            stale_after=timedelta(seconds=settings.notifications_stale_claim_seconds),
            max_attempts=MAX_SEND_ATTEMPTS,
        ),
        unsubscribe=Unsubscribe(
            opt_outs=_opt_outs(settings),
            link=functools.partial(_links(settings).url, settings.notifications_unsubscribe_url),
        ),
        outcomes=_outcomes(settings),
    )


def delivery() -> DeliveryDependencies:
    """What the delivery-report function needs."""
    settings = LedgerSettings.from_env()
    return DeliveryDependencies(ledger=_ledger(settings), outcomes=_outcomes(settings))


def _outcomes(settings: LedgerSettings) -> BusOutcomeAnnouncer:
    publisher = EventBridgePublisher(boto3.client("events"), settings.event_bus_name)
    return BusOutcomeAnnouncer(publisher)


def opt_out() -> OptOutDependencies:
    """What the unsubscribe function needs."""
    settings = UnsubscribeSettings.from_env()
    return OptOutDependencies(opt_outs=_opt_outs(settings), links=_links(settings))


def _ledger(settings: LedgerSettings) -> DynamoDbSentEmailLedger:
    table = boto3.resource("dynamodb").Table(settings.notifications_ledger_table_name)
    return DynamoDbSentEmailLedger(table)


def _opt_outs(settings: UnsubscribeSettings) -> DynamoOptOuts:
    return DynamoOptOuts(
        boto3.resource("dynamodb").Table(settings.notifications_opt_outs_table_name)
    )


def _links(settings: UnsubscribeSettings) -> UnsubscribeLinks:
    key = SecretKey(boto3.client("secretsmanager"), settings.notifications_unsubscribe_key_secret)
    return UnsubscribeLinks(key)
