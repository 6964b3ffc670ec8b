"""The probe behind the "owner never confirmed" alarm: what it counts and publishes."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from infra.probes import subscriptions as probe

pytestmark = pytest.mark.infra

TOPIC = "arn:aws:sns:eu-west-1:123456789012:shop-dev-approvals-OwnerNotifications"


def _subscription(arn: str) -> dict[str, str]:
    return {
        "SubscriptionArn": arn,
        "Owner": "123456789012",
        "Protocol": "email",
        "Endpoint": "owner@example.com",
        "TopicArn": TOPIC,
    }


def _published(output: str) -> dict[str, Any]:
    (line,) = [json.loads(x) for x in output.splitlines() if '"_aws"' in x]
    document: dict[str, Any] = line
    return document


@pytest.mark.parametrize(
    ("arns", "confirmed", "pending"),
    [
        ([probe.PENDING], 0, 1),
        ([f"{TOPIC}:1f0c", probe.PENDING], 1, 1),
        ([], 0, 0),
    ],
)
def test_the_probe_publishes_confirmed_and_pending_counts(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arns: list[str],
    confirmed: int,
    pending: int,
) -> None:
    sns = boto3.client("sns", region_name="eu-west-1")
    stubber = Stubber(sns)
    stubber.add_response(
        "list_subscriptions_by_topic",
        {"Subscriptions": [_subscription(a) for a in arns]},
        {"TopicArn": TOPIC},
    )
    monkeypatch.setattr(boto3, "client", lambda _service: sns)
    monkeypatch.setenv(probe.TOPIC_ARN_ENV_VAR, TOPIC)
    monkeypatch.setenv(probe.TOPIC_NAME_ENV_VAR, "owner-notifications")
    # The test session disables metrics; this test reads what would reach CloudWatch.
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    probe.metrics.clear_metrics()
    # The deployed function gets these as POWERTOOLS_* variables, read when it imports.
    monkeypatch.setattr(probe.metrics, "namespace", "Shop/dev")
    monkeypatch.setattr(probe.metrics, "service", "approvals")

    with stubber:
        answer = probe.lambda_handler({}, None)

    assert answer == {"confirmed": confirmed, "pending": pending}
    emf = _published(capsys.readouterr().out)
    assert emf[probe.CONFIRMED_METRIC] == [confirmed]
    assert emf[probe.PENDING_METRIC] == [pending]
    assert emf[probe.TOPIC_DIMENSION] == "owner-notifications"
    assert emf["service"] == "approvals"
    (directive,) = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Shop/dev"
