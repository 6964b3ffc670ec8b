"""Counts a topic's confirmed and pending subscriptions, as CloudWatch metrics.

SNS keeps an email subscription in ``PendingConfirmation`` until its owner clicks the link
AWS mailed, and simply delivers nothing to it meanwhile: no CloudWatch metric, no failed
delivery. So this probe, run on a schedule, lists the topic's subscriptions and publishes
``SubscriptionsConfirmed`` and ``SubscriptionsPending`` (EMF, through Powertools Metrics)
for an alarm to watch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

PENDING = "PendingConfirmation"
TOPIC_ARN_ENV_VAR = "PROBE_TOPIC_ARN"
TOPIC_NAME_ENV_VAR = "PROBE_TOPIC_NAME"  # the wiring's logical name, the metrics' dimension
TOPIC_DIMENSION = "topic"
CONFIRMED_METRIC = "SubscriptionsConfirmed"
PENDING_METRIC = "SubscriptionsPending"

metrics = Metrics()  # namespace and service from POWERTOOLS_METRICS_NAMESPACE / _SERVICE_NAME


@dataclass(frozen=True)
class SubscriptionCount:
    confirmed: int
    pending: int


def count_subscriptions(sns: SNSClient, topic_arn: str) -> SubscriptionCount:
    confirmed = pending = 0
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        for subscription in page["Subscriptions"]:
            if subscription["SubscriptionArn"] == PENDING:
                pending += 1
            else:
                confirmed += 1
    return SubscriptionCount(confirmed=confirmed, pending=pending)


@metrics.log_metrics
def lambda_handler(_event: dict[str, Any], _context: Any) -> dict[str, int]:
    count = count_subscriptions(boto3.client("sns"), os.environ[TOPIC_ARN_ENV_VAR])
    metrics.add_dimension(name=TOPIC_DIMENSION, value=os.environ[TOPIC_NAME_ENV_VAR])
    metrics.add_metric(name=CONFIRMED_METRIC, unit=MetricUnit.Count, value=count.confirmed)
    metrics.add_metric(name=PENDING_METRIC, unit=MetricUnit.Count, value=count.pending)
    return {"confirmed": count.confirmed, "pending": count.pending}
