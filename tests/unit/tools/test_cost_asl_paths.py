"""The transitions each outcome costs are the states the real ASL file makes it enter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.workflow.definition import DEFINITION_FILE
from services.workflow.domain.relay import REJECTED_ERROR
from tools.cost.asl_paths import OUTCOMES, Outcome, load_asl, transitions, walk

# Read off services/workflow/statemachine.asl.json by hand: Next for an approval, the Catch
# for the relay's OrderRejected failure, the Catch for States.Timeout.
EXPECTED_STATES = {
    "approve": ["RequestApproval", "EmitOrderShipped", "WaitForFeedback", "EmitFeedbackDue"],
    "reject": ["RequestApproval", "OwnerRejected", "EmitOrderCancelled"],
    "timeout": ["RequestApproval", "NobodyAnswered", "EmitOrderCancelled"],
}


@pytest.fixture
def definition() -> dict[str, Any]:
    return load_asl(DEFINITION_FILE)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_each_path_enters_the_states_the_asl_file_sends_it_through(
    definition: dict[str, Any], outcome: Outcome
) -> None:
    steps = walk(definition, outcome, rejected_error=REJECTED_ERROR)

    assert [s.name for s in steps] == EXPECTED_STATES[outcome]
    count = transitions(definition, outcome, rejected_error=REJECTED_ERROR)
    assert count == len(EXPECTED_STATES[outcome])


def test_the_walk_reads_what_each_task_does(definition: dict[str, Any]) -> None:
    steps = {s.name: s for s in walk(definition, "approve", rejected_error=REJECTED_ERROR)}

    assert steps["RequestApproval"].waits_for_token
    assert steps["RequestApproval"].queue_placeholder == "TokenQueueUrl"
    assert steps["EmitOrderShipped"].detail_types == ("OrderShipped",)
    assert steps["EmitFeedbackDue"].detail_types == ("FeedbackDue",)
    assert not steps["WaitForFeedback"].is_task
    cancelled = walk(definition, "timeout", rejected_error=REJECTED_ERROR)[-1]
    assert cancelled.detail_types == ("OrderCancelled",)


def test_a_state_added_to_the_file_is_one_more_transition(
    definition: dict[str, Any], tmp_path: Path
) -> None:
    states = definition["States"]
    states["Audit"] = {"Type": "Pass", "Next": "EmitFeedbackDue"}
    states["WaitForFeedback"]["Next"] = "Audit"
    changed = tmp_path / "statemachine.asl.json"
    changed.write_text(json.dumps(definition), encoding="utf-8")

    reloaded = load_asl(changed)

    assert transitions(reloaded, "approve", rejected_error=REJECTED_ERROR) == 5
    assert transitions(reloaded, "reject", rejected_error=REJECTED_ERROR) == 3


def test_an_outcome_nothing_catches_is_refused(definition: dict[str, Any]) -> None:
    definition["States"]["RequestApproval"]["Catch"] = []

    with pytest.raises(ValueError, match=r"nothing catches States\.Timeout"):
        walk(definition, "timeout", rejected_error=REJECTED_ERROR)


def test_a_choice_state_is_not_priced_silently(definition: dict[str, Any]) -> None:
    definition["States"]["EmitOrderShipped"] = {"Type": "Choice", "Choices": [], "Default": "X"}

    with pytest.raises(NotImplementedError, match="Choice"):
        walk(definition, "approve", rejected_error=REJECTED_ERROR)
