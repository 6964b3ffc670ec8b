"""Starts one workflow execution per order, named by the order id."""

from __future__ import annotations

import json
from enum import StrEnum

from events.models import OrderPlaced
from services.workflow.domain.ports import Workflows


class StartOutcome(StrEnum):
    """Each value is also the name of the metric counting it."""

    STARTED = "ExecutionStarted"
    ALREADY_STARTED = "ExecutionAlreadyStarted"


def execution_input(event: OrderPlaced) -> str:
    """The state machine's input. Deterministic for the same order data, so a redelivered
    OrderPlaced makes the same request and Step Functions answers it idempotently."""
    return json.dumps({"order": event.data.model_dump(mode="json")}, sort_keys=True)


def start_workflow(event: OrderPlaced, *, workflows: Workflows) -> StartOutcome:
    # The order id is the execution name: Step Functions itself guarantees one execution
    # per order, so the starter needs no table of its own.
    if workflows.start(event.order_id, execution_input(event)):
        return StartOutcome.STARTED
    return StartOutcome.ALREADY_STARTED
