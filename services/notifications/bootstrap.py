"""Turns the notifications settings into the adapters its email function needs.

The builder reads the settings from the environment and makes the clients; the handler caches
the result, so it happens once per execution environment, on first use (importing a handler
stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

from dataclasses import dataclass

import boto3

from services.notifications.adapters.ledger import DynamoDbSentEmailLedger
from services.notifications.adapters.mailer import SES_CLIENT_CONFIG, SesMailer
from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.ports import Mailer, Renderer, SentEmailLedger
from services.notifications.settings import NotificationsSettings


@dataclass(frozen=True)
class Adapters:
    ledger: SentEmailLedger
    mailer: Mailer
    renderer: Renderer


def adapters() -> Adapters:
    settings = NotificationsSettings()
    table = boto3.resource("dynamodb").Table(settings.notifications_ledger_table_name)
    return Adapters(
        ledger=DynamoDbSentEmailLedger(table),
        mailer=SesMailer(
            boto3.client("sesv2", config=SES_CLIENT_CONFIG), settings.notifications_sender_email
        ),
        renderer=JinjaRenderer(),
    )
