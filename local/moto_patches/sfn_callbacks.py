"""SendTaskSuccess / Failure / Heartbeat while another execution is still starting.

moto answers a task token by walking the executions and asking each one's evaluation
environment whether it holds the token. An execution is ``RUNNING`` from ``StartExecution``
on, but its worker thread builds that environment a moment later; a callback that arrives in
between fails with ``AttributeError: 'NoneType' object has no attribute
'callback_pool_manager'`` (a 500 to the caller) for a token that another, long-running
execution holds. AWS never fails one execution's callback for another's start. An execution
without an environment cannot hold a token yet, so the backend's execution lookup leaves it
out; every caller of that lookup reads the environment.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from local.moto_patches.errors import already_replaced, require_source

_ORIGINAL: Callable[..., list[Any]] = StepFunctionsParserBackend.__dict__["_get_executions"]


@functools.wraps(_ORIGINAL)
def _get_executions(self: Any, execution_status: Any = None) -> list[Any]:
    return [
        execution
        for execution in _ORIGINAL(self, execution_status)
        if getattr(getattr(execution, "exec_worker", None), "env", None) is not None
    ]


def apply() -> None:
    backend = StepFunctionsParserBackend
    if already_replaced(backend, "_get_executions", _ORIGINAL, _get_executions):
        return
    require_source(_ORIGINAL, "sm.executions", "execution.status")
    for caller in ("send_task_success", "send_task_failure", "send_task_heartbeat"):
        require_source(getattr(StepFunctionsParserBackend, caller), "exec_worker.env")
    StepFunctionsParserBackend._get_executions = _get_executions  # type: ignore[method-assign]
