"""SQS consumer of ApprovalRequested (open an approval, tell the owner) and OrderCancelled
(close it)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import utc_now
from services.approvals.adapters.notifier import SnsOwnerNotifier
from services.approvals.adapters.signing_key import SecretKeyring
from services.approvals.adapters.table import DynamoApprovalStore
from services.approvals.domain.requests import (
    OWNER_NOTIFIED,
    WORKFLOW_EVENTS,
    LinkSettings,
    WorkflowEvent,
    on_workflow_event,
)
from services.approvals.links import LinkSigner
from services.approvals.settings import RequestSettings
from services.common.consumer import consume_events
from services.common.observability import count

logger = Logger(service="approvals")
tracer = Tracer(service="approvals")
metrics = Metrics(service="approvals")


@dataclass(frozen=True)
class RequestDependencies:
    store: DynamoApprovalStore
    notifier: SnsOwnerNotifier
    signer: LinkSigner
    links: LinkSettings


@functools.cache
def dependencies() -> RequestDependencies:
    settings = RequestSettings()  # from the environment
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


def handle(event: WorkflowEvent) -> str:
    deps = dependencies()
    result = on_workflow_event(
        event,
        store=deps.store,
        notifier=deps.notifier,
        signer=deps.signer,
        links=deps.links,
        now=utc_now(),
    )
    if result == OWNER_NOTIFIED:
        count(metrics, "ApprovalRequested")
    return result


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume_events(
        event,
        context,
        accepts=WORKFLOW_EVENTS,
        handle=handle,
        logger=logger,
    )
