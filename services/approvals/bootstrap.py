"""Turns the approvals settings into the adapters its request consumer needs.

The builder reads the settings from the environment and makes the clients; the handler caches
the result, so it happens once per execution environment, on first use (importing a handler
stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

from datetime import timedelta

import boto3

from services.approvals.adapters.notifier import SnsOwnerNotifier
from services.approvals.adapters.signing_key import SecretKeyring
from services.approvals.adapters.table import DynamoApprovalStore
from services.approvals.domain.requests import LinkSettings, RequestDependencies
from services.approvals.links import LinkSigner
from services.approvals.settings import RequestSettings


def request_dependencies() -> RequestDependencies:
    settings = RequestSettings.from_env()
    keys = SecretKeyring(boto3.client("secretsmanager"), settings.approvals_signing_key_secret)
    return RequestDependencies(
        store=DynamoApprovalStore(boto3.client("dynamodb"), settings.approvals_table_name),
        notifier=SnsOwnerNotifier(boto3.client("sns"), settings.approvals_owner_topic_arn),
        signer=LinkSigner(keys),
        links=LinkSettings(
            settings.approvals_base_url,
            settings.approvals_link_grace_seconds,
            timedelta(seconds=settings.approvals_decision_margin_seconds),
        ),
    )
