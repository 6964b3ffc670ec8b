"""Step Functions: starting executions and resuming tasks that wait for a token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from services.workflow.domain.ports import WorkflowMovedOnError

if TYPE_CHECKING:
    from mypy_boto3_stepfunctions import SFNClient

# What Step Functions answers when the task behind a token is over: timed out, the execution
# finished or was stopped, or the token is unknown (AWS and moto differ in which they pick).
MOVED_ON_ERRORS = frozenset({"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"})
ALREADY_EXISTS = "ExecutionAlreadyExists"


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


class StepFunctionsWorkflows:
    def __init__(self, client: SFNClient, state_machine_arn: str) -> None:
        self._client = client
        self._arn = state_machine_arn

    def start(self, name: str, input_json: str) -> bool:
        try:
            # Same name and input as a running execution: AWS (and moto) return that one.
            self._client.start_execution(stateMachineArn=self._arn, name=name, input=input_json)
        except ClientError as error:
            if _code(error) == ALREADY_EXISTS:
                return False
            raise
        return True


class StepFunctionsTaskResults:
    def __init__(self, client: SFNClient) -> None:
        self._client = client

    def succeed(self, task_token: str, output: str) -> None:
        try:
            self._client.send_task_success(taskToken=task_token, output=output)
        except ClientError as error:
            _raise_moved_on_or_reraise(error)

    def fail(self, task_token: str, error: str, cause: str) -> None:
        try:
            self._client.send_task_failure(taskToken=task_token, error=error, cause=cause)
        except ClientError as client_error:
            _raise_moved_on_or_reraise(client_error)


def _raise_moved_on_or_reraise(error: ClientError) -> None:
    code = _code(error)
    if code in MOVED_ON_ERRORS:
        # `from None`: the original message may quote the token.
        raise WorkflowMovedOnError(code) from None
    raise error
