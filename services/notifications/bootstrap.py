"""Turns the notifications settings into the adapters its email function needs.

The builder reads the settings from the environment and makes the clients; the handler caches
the result, so it happens once per execution environment, on first use (importing a handler
stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

import boto3

from services.notifications.adapters.ledger import DynamoDbSentEmailLedger
from services.notifications.adapters.mailer import SES_CLIENT_CONFIG, SesMailer
from services.notifications.adapters.opt_outs import DynamoOptOuts, SecretKey
from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.notify import ClaimPolicy, Unsubscribe
from services.notifications.domain.ports import Mailer, Renderer, SentEmailLedger
from services.notifications.settings import MAX_SEND_ATTEMPTS, NotificationsSettings
from services.notifications.unsubscribe import UnsubscribeLinks


@dataclass(frozen=True)
class Adapters:
    ledger: SentEmailLedger
    mailer: Mailer
    renderer: Renderer
    policy: ClaimPolicy
    unsubscribe: Unsubscribe


def adapters() -> Adapters:
    settings = NotificationsSettings.from_env()
    return Adapters(
        ledger=DynamoDbSentEmailLedger(
            boto3.client("dynamodb"), settings.notifications_ledger_table_name
        ),
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
            opt_outs=DynamoOptOuts(
                boto3.client("dynamodb"), settings.notifications_opt_outs_table_name
            ),
            link=functools.partial(
                UnsubscribeLinks(
                    SecretKey(
                        boto3.client("secretsmanager"),
                        settings.notifications_unsubscribe_key_secret,
                    )
                ).url,
                settings.notifications_unsubscribe_url,
            ),
        ),
    )
