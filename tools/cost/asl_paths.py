"""Walks the workflow's ASL file along each way an order can end: approve, reject, timeout.

Step Functions Standard bills one state transition per state entered ("each time a step of
your workflow is executed", retries included), so the states a path enters are the
transitions it costs. The walk also says what each Task does (events put, queues sent to),
which the rest of the model routes through the wirings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Outcome = Literal["approve", "reject", "timeout"]
OUTCOMES: tuple[Outcome, ...] = ("approve", "reject", "timeout")

TIMEOUT_ERROR = "States.Timeout"
_PLACEHOLDER = re.compile(r"^\$\{([A-Za-z0-9_]+)\}$")
_MAX_STEPS = 200  # a cycle in the walk is a definition this model cannot price


@dataclass(frozen=True)
class Step:
    """One state entered on a path."""

    name: str
    type: str
    resource: str | None = None
    detail_types: tuple[str, ...] = ()  # events:putEvents entries
    queue_placeholder: str | None = None  # sqs:sendMessage QueueUrl, e.g. TokenQueueUrl

    @property
    def is_task(self) -> bool:
        return self.type == "Task"

    @property
    def waits_for_token(self) -> bool:
        return bool(self.resource and self.resource.endswith(".waitForTaskToken"))


def load_asl(path: Path) -> dict[str, Any]:
    """The definition as written (``${...}`` placeholders stay strings: the file is JSON)."""
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def walk(definition: dict[str, Any], outcome: Outcome, *, rejected_error: str) -> list[Step]:
    """The states an execution enters when the owner approves, rejects (the relay fails the
    task with ``rejected_error``) or nobody answers (``States.Timeout``)."""
    states: dict[str, Any] = definition["States"]
    name: str | None = definition["StartAt"]
    path: list[Step] = []
    while name is not None:
        if len(path) >= _MAX_STEPS:
            raise ValueError(f"no end after {_MAX_STEPS} states on the {outcome} path")
        state = states[name]
        step = _step(name, state)
        path.append(step)
        name = _next(name, state, step, outcome, rejected_error)
    return path


def _step(name: str, state: dict[str, Any]) -> Step:
    kind = state["Type"]
    if kind in ("Choice", "Parallel", "Map"):
        raise NotImplementedError(f"{name}: {kind} states are not modelled; extend tools/cost")
    resource = state.get("Resource")
    parameters = state.get("Parameters", {})
    detail_types: tuple[str, ...] = ()
    queue: str | None = None
    if resource and resource.startswith("arn:aws:states:::events:putEvents"):
        entries = parameters["Entries"]
        if any("DetailType" not in entry for entry in entries):
            raise ValueError(f"{name}: a computed DetailType cannot be priced per event")
        detail_types = tuple(entry["DetailType"] for entry in entries)
    if resource and resource.startswith("arn:aws:states:::sqs:sendMessage"):
        matched = _PLACEHOLDER.match(str(parameters.get("QueueUrl", "")))
        if matched is None:
            raise ValueError(f"{name}: the QueueUrl is not a ${{...}} substitution")
        queue = matched.group(1)
    return Step(name, kind, resource, detail_types, queue)


def _next(
    name: str, state: dict[str, Any], step: Step, outcome: Outcome, rejected_error: str
) -> str | None:
    if state.get("End") or state["Type"] in ("Succeed", "Fail"):
        return None
    if step.waits_for_token and outcome != "approve":
        error = TIMEOUT_ERROR if outcome == "timeout" else rejected_error
        for catcher in state.get("Catch", []):
            if error in catcher["ErrorEquals"] or "States.ALL" in catcher["ErrorEquals"]:
                return str(catcher["Next"])
        raise ValueError(f"{name}: nothing catches {error}, so the {outcome} path fails here")
    return str(state["Next"])


def transitions(definition: dict[str, Any], outcome: Outcome, *, rejected_error: str) -> int:
    return len(walk(definition, outcome, rejected_error=rejected_error))
