"""One execution per order, whatever the queue delivers."""

from __future__ import annotations

import json

from services.workflow.domain.starter import StartOutcome, execution_input, start_workflow
from tests.unit.workflow.fakes import FakeWorkflows
from tests.unit.workflow.samples import order_placed


def test_an_order_starts_an_execution_named_by_its_id_with_the_order_as_input() -> None:
    workflows = FakeWorkflows()
    event = order_placed("ord_A")

    outcome = start_workflow(event, workflows=workflows)

    assert outcome is StartOutcome.STARTED
    assert list(workflows.executions) == ["ord_A"]
    assert json.loads(workflows.executions["ord_A"]) == {
        "order": event.data.model_dump(mode="json")
    }


def test_a_redelivered_order_placed_makes_the_same_request() -> None:
    # Two events (different event ids) for the same order: Step Functions' idempotency for
    # a running execution needs the very same input.
    first, second = order_placed("ord_A"), order_placed("ord_A")
    assert first.metadata.event_id != second.metadata.event_id

    assert execution_input(first) == execution_input(second)


def test_a_duplicate_while_running_starts_nothing_new() -> None:
    workflows = FakeWorkflows()
    start_workflow(order_placed("ord_A"), workflows=workflows)

    start_workflow(order_placed("ord_A"), workflows=workflows)

    assert len(workflows.executions) == 1


def test_a_duplicate_after_the_execution_ended_is_already_started() -> None:
    workflows = FakeWorkflows()
    start_workflow(order_placed("ord_A"), workflows=workflows)
    workflows.running.clear()

    outcome = start_workflow(order_placed("ord_A"), workflows=workflows)

    assert outcome is StartOutcome.ALREADY_STARTED
    assert len(workflows.executions) == 1
