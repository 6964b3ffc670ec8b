"""In-memory adapters for the workflow's domain, with the same rules as the real ones."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from services.workflow.domain.ports import TokenRecord, TokenStatus, WorkflowMovedOnError


@dataclass
class InMemoryTokenStore:
    records: dict[str, TokenRecord] = field(default_factory=dict)

    def add(self, record: TokenRecord) -> bool:
        existing = self.records.get(record.order_id)
        if existing is not None and existing.requested_at >= record.requested_at:
            return False
        self.records[record.order_id] = record
        return True

    def get(self, order_id: str) -> TokenRecord | None:
        return self.records.get(order_id)

    def mark_announced(self, order_id: str, task_token: str) -> None:
        record = self.records.get(order_id)
        if record and record.task_token == task_token and record.status is TokenStatus.STORED:
            self.records[order_id] = replace(record, status=TokenStatus.ANNOUNCED)

    def mark_used(
        self, order_id: str, task_token: str, *, decision: str, outcome: str, at: datetime
    ) -> bool:
        record = self.records.get(order_id)
        if record is None or record.task_token != task_token or record.status is TokenStatus.USED:
            return False
        self.records[order_id] = replace(
            record, status=TokenStatus.USED, decision=decision, outcome=outcome, used_at=at
        )
        return True


@dataclass(frozen=True)
class TaskCall:
    kind: str  # "success" | "failure"
    task_token: str
    output: str | None = None
    error: str | None = None
    cause: str | None = None


@dataclass
class RecordingTaskResults:
    """Records each call; ``closed`` tokens answer like Step Functions does for a task that
    is over; ``broken`` makes every call fail like an outage."""

    calls: list[TaskCall] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)
    broken: bool = False

    def _call(self, call: TaskCall) -> None:
        self.calls.append(call)
        if self.broken:
            raise ConnectionError("Step Functions is unreachable")
        if call.task_token in self.closed:
            raise WorkflowMovedOnError("TaskTimedOut")
        self.closed.add(call.task_token)

    def succeed(self, task_token: str, output: str) -> None:
        self._call(TaskCall("success", task_token, output=output))

    def fail(self, task_token: str, error: str, cause: str) -> None:
        self._call(TaskCall("failure", task_token, error=error, cause=cause))


@dataclass
class FakeWorkflows:
    """Step Functions' naming rule: a name is taken for good once used (idempotent while
    running with the same input)."""

    executions: dict[str, str] = field(default_factory=dict)
    running: set[str] = field(default_factory=set)

    def start(self, name: str, input_json: str) -> bool:
        if name not in self.executions:
            self.executions[name] = input_json
            self.running.add(name)
            return True
        return name in self.running and self.executions[name] == input_json


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now
