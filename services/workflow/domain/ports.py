"""What the domain needs from the outside world, as small protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

Clock = Callable[[], datetime]


class TokenStatus(StrEnum):
    STORED = "stored"  # kept, ApprovalRequested not yet confirmed published
    ANNOUNCED = "announced"  # ApprovalRequested published; waiting for the owner
    USED = "used"  # a decision was relayed (or found the workflow gone); never send again


@dataclass(frozen=True)
class TokenRecord:
    """One order's task token. ``repr`` leaves the token out so it cannot leak into logs."""

    order_id: str
    task_token: str
    execution_arn: str
    requested_at: datetime
    approval_deadline: datetime
    expires_at: datetime  # when DynamoDB's TTL may delete the record
    status: TokenStatus = TokenStatus.STORED
    decision: str | None = None
    outcome: str | None = None
    used_at: datetime | None = None

    def __repr__(self) -> str:
        return (
            f"TokenRecord(order_id={self.order_id!r}, status={self.status.value!r}, "
            f"approval_deadline={self.approval_deadline.isoformat()!r})"
        )


class TokenStore(Protocol):
    def add(self, record: TokenRecord) -> bool:
        """Store ``record`` unless the order already has one from the same or a later request.

        True when stored; False when the existing record was kept.
        """
        ...

    def get(self, order_id: str) -> TokenRecord | None: ...

    def mark_announced(self, order_id: str, task_token: str) -> None:
        """STORED -> ANNOUNCED for that token; anything else is left as it is."""
        ...

    def mark_used(
        self, order_id: str, task_token: str, *, decision: str, outcome: str, at: datetime
    ) -> bool:
        """-> USED for that token unless already used; False when someone else got there."""
        ...


class WorkflowMovedOnError(Exception):
    """The task behind a token is over (timed out, finished, unknown): nothing to resume."""


class TaskResults(Protocol):
    """Resumes a waiting task. Raises ``WorkflowMovedOnError`` when there is no task to resume."""

    def succeed(self, task_token: str, output: str) -> None: ...

    def fail(self, task_token: str, error: str, cause: str) -> None: ...


class Workflows(Protocol):
    def start(self, name: str, input_json: str) -> bool:
        """Start an execution called ``name``.

        True when it was started or is the same execution already running (Step Functions'
        StartExecution is idempotent for a running execution with the same name and input);
        False when an execution of that name exists (closed, or started with other input).
        """
        ...
