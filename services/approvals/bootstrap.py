"""Turns the approvals settings into the adapters each of its functions needs.

Each builder reads only the settings its function has and makes the clients; the handler
caches the result, so it happens once per execution environment, on first use (importing a
handler stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

from datetime import timedelta

import boto3

from services.approvals.adapters.notifier import SnsOwnerNotifier
from services.approvals.adapters.publisher import bus_publisher
from services.approvals.adapters.signing_key import SecretKeyring
from services.approvals.adapters.table import DynamoApprovalStore
from services.approvals.domain.answering import DecisionDependencies
from services.approvals.domain.requests import LinkSettings, RequestDependencies
from services.approvals.links import LinkSigner
from services.approvals.settings import DecisionSettings, RequestSettings


def request_dependencies() -> RequestDependencies:
    """What the function that opens and closes approvals (and answers customers'
    cancellations) needs."""
    settings = RequestSettings.from_env()
    return RequestDependencies(
        store=_store(settings),
        notifier=SnsOwnerNotifier(boto3.client("sns"), settings.approvals_owner_topic_arn),
        signer=_signer(settings),
        links=LinkSettings(
            settings.approvals_base_url,
            settings.approvals_link_grace_seconds,
            timedelta(seconds=settings.approvals_decision_margin_seconds),
        ),
        publisher=bus_publisher(boto3.client("events"), settings.event_bus_name),
    )


def decision_dependencies() -> DecisionDependencies:
    """What the public decision function needs (it cannot notify anyone)."""
    settings = DecisionSettings.from_env()
    return DecisionDependencies(
        store=_store(settings),
        publisher=bus_publisher(boto3.client("events"), settings.event_bus_name),
        signer=_signer(settings),
    )


def _store(settings: DecisionSettings) -> DynamoApprovalStore:
    return DynamoApprovalStore(boto3.client("dynamodb"), settings.approvals_table_name)


def _signer(settings: DecisionSettings) -> LinkSigner:
    keys = SecretKeyring(boto3.client("secretsmanager"), settings.approvals_signing_key_secret)
    return LinkSigner(keys)
