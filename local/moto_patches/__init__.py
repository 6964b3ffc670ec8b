"""Small patches to moto, applied when the local stack's moto starts.

Most cache one thing moto rebuilds on every request or execution and change nothing else;
``dynamodb_writes`` makes conditional writes atomic, as DynamoDB's are, and
``sfn_callbacks`` keeps an execution that is still starting from failing another's task
token. Each checks that what it replaces is still what it was written against and raises
``MotoPatchError`` otherwise, so a moto upgrade that moves the code fails at start-up instead
of silently running slow or wrong.
docs/moto-patches.md describes them for an upstream proposal.
"""

from __future__ import annotations

from local.moto_patches import (
    actions,
    asl_trees,
    backends,
    cognito_pools,
    dispatch,
    dynamodb_transactions,
    dynamodb_writes,
    event_templates,
    sfn_callbacks,
    sfn_clients,
    signals,
    sqs_queues,
)
from local.moto_patches.errors import MotoPatchError

PATCHES = (
    dispatch,
    backends,
    actions,
    event_templates,
    asl_trees,
    sfn_clients,
    sqs_queues,
    signals,
    dynamodb_transactions,
    dynamodb_writes,
    sfn_callbacks,
    cognito_pools,
)

__all__ = ["PATCHES", "MotoPatchError", "apply_all"]


def apply_all() -> None:
    """Apply every patch (idempotent)."""
    for patch in PATCHES:
        patch.apply()
