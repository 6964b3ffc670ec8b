"""Test-wide set-up: no real AWS, ever, and a moto fixture that runs state machines."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from local.stack import stop_running_executions

# Set before any handler module builds a client: tests can never reach a real account.
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "Shop",
        "POWERTOOLS_METRICS_DISABLED": "true",
        # botocore addresses DynamoDB Streams by account id (<account>.streams-ddb...), a host
        # moto 5.2.5 does not intercept; the regional endpoint is equivalent.
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }
)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in-process with Step Functions executing the real ASL."""
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield
        stop_running_executions(boto3.client("stepfunctions"))
