"""The state machine file: valid, closed, and emitting exactly what the contract says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from events.models import FeedbackDue, Metadata, OrderCancelled, OrderShipped
from services.workflow.definition import (
    DEFINITION_FILE,
    definition_placeholders,
    load_definition,
)
from services.workflow.domain.relay import CUSTOMER_CANCELLED_ERROR, REJECTED_ERROR
from services.workflow.models import TokenRequest
from services.workflow.wiring import WIRING

MACHINE = WIRING.state_machines[0]
VALUES = {
    "ApprovalWindowSeconds": "86400",
    "FeedbackDelaySeconds": "86400",
    "TokenQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/tokens",
    "EventBusName": "shop",
}


@pytest.fixture(scope="module")
def asl() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DEFINITION_FILE.read_text(encoding="utf-8"))
    return document


def _targets(state: dict[str, Any]) -> list[str]:
    found = [state[key] for key in ("Next", "Default") if key in state]
    found += [c["Next"] for c in state.get("Catch", [])]
    found += [c["Next"] for c in state.get("Choices", [])]
    return found


def _unsuffixed(keys: dict[str, Any]) -> set[str]:
    return {key.removesuffix(".$") for key in keys}


def test_the_file_is_the_one_the_wiring_declares() -> None:
    assert DEFINITION_FILE.as_posix().endswith(MACHINE.definition_file)


def test_every_transition_leads_to_a_state_and_every_state_is_reachable(
    asl: dict[str, Any],
) -> None:
    states = asl["States"]
    assert asl["StartAt"] in states
    reachable, todo = set(), [asl["StartAt"]]
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable.add(name)
        state = states[name]
        targets = _targets(state)
        assert set(targets) <= states.keys(), f"{name} leads to an unknown state"
        ends = state.get("End") is True or state["Type"] in {"Succeed", "Fail"}
        assert ends or "Next" in state or state["Type"] == "Choice", f"{name} goes nowhere"
        todo.extend(targets)
    assert reachable == states.keys()


def test_the_placeholders_are_exactly_the_declared_substitutions() -> None:
    assert definition_placeholders() == set(MACHINE.substitutions)
    declared_settings = {s.name for s in WIRING.settings}
    declared_queues = {q.name for q in WIRING.queues}
    for source in MACHINE.substitutions.values():
        kind, _, name = source.partition(":")
        assert kind in {"queue_url", "bus_name", "setting"}
        if kind == "setting":
            assert name in declared_settings
        if kind == "queue_url":
            assert name in declared_queues
            assert name in MACHINE.sends_to_queues


def test_loading_fills_every_placeholder_and_stays_valid_json() -> None:
    text = load_definition(VALUES)

    assert "${" not in text
    states = json.loads(text)["States"]
    approval = states["RequestApproval"]
    assert approval["TimeoutSeconds"] == 86400  # a number, as Step Functions requires
    assert approval["Parameters"]["MessageBody"]["approval_window_seconds"] == 86400
    assert states["WaitForFeedback"]["Seconds"] == 86400


def test_loading_refuses_a_duration_that_is_not_an_integer() -> None:
    with pytest.raises(ValueError, match="ApprovalWindowSeconds"):
        load_definition({**VALUES, "ApprovalWindowSeconds": "1 day"})


def test_loading_refuses_a_missing_or_unknown_value() -> None:
    with pytest.raises(KeyError, match="EventBusName"):
        load_definition({k: v for k, v in VALUES.items() if k != "EventBusName"})
    with pytest.raises(KeyError, match="Typo"):
        load_definition({**VALUES, "Typo": "x"})


def test_the_approval_waits_for_the_token_for_the_approval_window(asl: dict[str, Any]) -> None:
    states = asl["States"]
    task = states["RequestApproval"]
    assert task["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    assert task["Parameters"]["QueueUrl"] == "${TokenQueueUrl}"
    assert task["TimeoutSeconds"] == "${ApprovalWindowSeconds:number}"
    assert "Retry" not in task  # a retried send would mint a second token
    catches = {error: c["Next"] for c in task["Catch"] for error in c["ErrorEquals"]}
    assert set(catches) == {"States.Timeout", REJECTED_ERROR, CUSTOMER_CANCELLED_ERROR}
    assert states[catches["States.Timeout"]]["Result"] == {
        "reason": "approval_timeout",
        "by": "nobody",
    }
    assert states[catches[REJECTED_ERROR]]["Result"] == {"reason": "rejected", "by": "owner"}
    assert states[catches[CUSTOMER_CANCELLED_ERROR]]["Result"] == {
        "reason": "customer_cancelled",
        "by": "customer",
    }
    assert states["WaitForFeedback"]["Seconds"] == "${FeedbackDelaySeconds:number}"


def test_the_token_message_carries_what_the_relay_needs(asl: dict[str, Any]) -> None:
    body = asl["States"]["RequestApproval"]["Parameters"]["MessageBody"]
    required = {name for name, f in TokenRequest.model_fields.items() if f.is_required()}

    assert _unsuffixed(body) == required
    assert body["task_token.$"] == "$$.Task.Token"


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("EmitOrderShipped", OrderShipped),
        ("EmitFeedbackDue", FeedbackDue),
        ("EmitOrderCancelled", OrderCancelled),
    ],
)
def test_each_emitted_event_has_the_contract_envelope_and_every_field(
    asl: dict[str, Any], state: str, event: type[OrderShipped | FeedbackDue | OrderCancelled]
) -> None:
    task = asl["States"][state]
    [entry] = task["Parameters"]["Entries"]
    data_model = event.model_fields["data"].annotation
    assert data_model is not None

    assert task["Resource"] == "arn:aws:states:::events:putEvents"
    assert (entry["Source"], entry["DetailType"]) == (event.source, event.detail_type)
    assert entry["EventBusName"] == "${EventBusName}"
    assert _unsuffixed(entry["Detail"]) == {"metadata", "data"}
    metadata = entry["Detail"]["metadata"]
    assert _unsuffixed(metadata) == set(Metadata.model_fields)
    assert metadata["event_version"] == event.version
    assert metadata["event_id.$"] == "States.UUID()"
    assert _unsuffixed(entry["Detail"]["data"]) == set(data_model.model_fields)
    assert task["ResultPath"] is None
    assert task["Retry"][0]["ErrorEquals"] == ["States.TaskFailed"]
