"""Recognising a DynamoDB write whose condition did not hold, for every service's adapters."""

from __future__ import annotations

from botocore.exceptions import ClientError

CONDITION_FAILED = "ConditionalCheckFailedException"
TRANSACTION_CANCELED = "TransactionCanceledException"


def is_condition_failed(error: Exception) -> bool:
    """True when a write was refused because its condition did not hold: a single write's
    ConditionalCheckFailed, or a transaction cancelled because one of its conditions failed.

    A transaction cancelled for any other reason only (a conflict, throttling) is not: the
    caller must let it be retried.
    """
    if not isinstance(error, ClientError):
        return False
    code = error.response.get("Error", {}).get("Code")
    if code == CONDITION_FAILED:
        return True
    if code != TRANSACTION_CANCELED:
        return False
    reasons = error.response.get("CancellationReasons", [])
    return any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons)
