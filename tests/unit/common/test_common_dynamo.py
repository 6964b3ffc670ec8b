"""Which DynamoDB errors mean "the condition did not hold" (and which must be retried)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.common.dynamo import is_condition_failed


def client_error(code: str, **extra: Any) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": "m"}, **extra}
    return ClientError(response, "Op")


def cancelled(*reasons: str) -> ClientError:
    return client_error(
        "TransactionCanceledException", CancellationReasons=[{"Code": r} for r in reasons]
    )


@pytest.mark.parametrize(
    ("error", "failed"),
    [
        (client_error("ConditionalCheckFailedException"), True),
        (cancelled("None", "ConditionalCheckFailed"), True),
        (cancelled("TransactionConflict", "None"), False),
        (cancelled("ThrottlingError"), False),
        (client_error("ProvisionedThroughputExceededException"), False),
        (ValueError("ConditionalCheckFailedException"), False),
    ],
)
def test_only_a_failed_condition_counts(error: Exception, failed: bool) -> None:
    assert is_condition_failed(error) is failed
