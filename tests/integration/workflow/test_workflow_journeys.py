"""The workflow service on moto, running the committed state machine end to end.

Each test plays the other services' parts on the bus (orders' OrderPlaced, approvals'
decisions) and looks at what the workflow did: the events it emitted, its executions, the
Step Functions calls it made, the metrics it counted.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from events.models import OrderCancelled, utc_now
from services.workflow.domain.relay import DecisionOutcome, TokenOutcome
from services.workflow.domain.starter import StartOutcome
from tests.integration.conftest import EmittedMetrics
from tests.integration.workflow.conftest import (
    SendTaskCalls,
    WorkflowFactory,
    WorkflowStack,
    wait_until,
)
from tests.unit.workflow.samples import approved, order_placed, rejected


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _request_approval(stack: WorkflowStack, order_id: str) -> None:
    """OrderPlaced -> starter -> token message -> relay-token -> ApprovalRequested."""
    stack.publish(order_placed(order_id))
    stack.deliver("starter")
    stack.deliver("relay-token")
    stack.wait_for_event(order_id, "ApprovalRequested")


def test_approve_ships_then_asks_for_feedback_after_the_delay(
    make_workflow: WorkflowFactory, send_task_calls: SendTaskCalls
) -> None:
    stack = make_workflow(approval_window_seconds=60, feedback_delay_seconds=1)
    order = order_placed("ord_approve")

    stack.publish(order)
    stack.deliver("starter")
    stack.deliver("relay-token")

    requested = stack.wait_for_event("ord_approve", "ApprovalRequested")
    data = requested.detail["data"]
    assert data["customer"] == order.data.customer.model_dump(mode="json")
    assert data["total"] == order.data.total
    assert _at(data["approval_deadline"]) - _at(data["requested_at"]) == timedelta(seconds=60)
    item = stack.token_item("ord_approve")
    assert item is not None
    assert item["task_token"]["S"] not in json.dumps(requested.detail)  # never on the bus

    stack.publish(approved("ord_approve"))
    stack.deliver("relay-decision")

    shipped = stack.wait_for_event("ord_approve", "OrderShipped")
    feedback = stack.wait_for_event("ord_approve", "FeedbackDue")
    assert shipped.detail["data"]["items"] == data["items"]
    delay = _at(feedback.detail["data"]["due_at"]) - _at(shipped.detail["data"]["shipped_at"])
    assert delay >= timedelta(seconds=1)
    stack.wait_for_execution("ord_approve", "SUCCEEDED")
    assert stack.emitted("ord_approve", "OrderCancelled") == []
    assert send_task_calls.operations == ["SendTaskSuccess"]


def test_reject_cancels_the_order_with_reason_rejected(
    make_workflow: WorkflowFactory, send_task_calls: SendTaskCalls
) -> None:
    stack = make_workflow()
    _request_approval(stack, "ord_reject")

    stack.publish(rejected("ord_reject", comment="Out of stock"))
    stack.deliver("relay-decision")

    cancelled = stack.wait_for_event("ord_reject", "OrderCancelled")
    assert cancelled.detail["data"]["reason"] == "rejected"
    assert OrderCancelled.model_validate(cancelled.detail).data.customer.name == "Grace Hopper"
    stack.wait_for_execution("ord_reject", "SUCCEEDED")
    assert stack.emitted("ord_reject", "OrderShipped") == []
    assert send_task_calls.operations == ["SendTaskFailure"]


def test_nobody_answering_cancels_the_order_with_reason_approval_timeout(
    make_workflow: WorkflowFactory,
) -> None:
    stack = make_workflow(approval_window_seconds=2)
    _request_approval(stack, "ord_timeout")

    cancelled = stack.wait_for_event("ord_timeout", "OrderCancelled")

    assert cancelled.detail["data"]["reason"] == "approval_timeout"
    requested = stack.emitted("ord_timeout", "ApprovalRequested")[0].detail["data"]
    assert _at(cancelled.detail["data"]["cancelled_at"]) >= _at(requested["approval_deadline"])
    stack.wait_for_execution("ord_timeout", "SUCCEEDED")
    assert stack.emitted("ord_timeout", "OrderShipped") == []


def test_a_decision_after_the_timeout_is_counted_and_logged_as_an_error_not_retried(
    make_workflow: WorkflowFactory, metrics: EmittedMetrics, caplog: pytest.LogCaptureFixture
) -> None:
    stack = make_workflow(approval_window_seconds=2)
    _request_approval(stack, "ord_late")
    stack.wait_for_event("ord_late", "OrderCancelled")

    stack.publish(approved("ord_late"))
    stack.deliver("relay-decision")

    assert metrics[DecisionOutcome.MOVED_ON] == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["decision reached a workflow that had moved on"]
    assert stack.queue_depth("decisions") == 0  # done, not back for another try
    assert stack.emitted("ord_late", "OrderShipped") == []


def test_a_duplicate_order_placed_starts_one_execution(
    make_workflow: WorkflowFactory, metrics: EmittedMetrics
) -> None:
    stack = make_workflow(approval_window_seconds=2)

    # The same order twice while its execution runs (outbox retry: two events, same data).
    stack.publish(order_placed("ord_twice"), order_placed("ord_twice"))
    stack.deliver("starter", count=2)
    assert len(stack.executions("ord_twice")) == 1

    # ... and once more after it ended (a redrive days later).
    stack.deliver("relay-token")
    stack.wait_for_execution("ord_twice", "SUCCEEDED")
    stack.publish(order_placed("ord_twice"))
    stack.deliver("starter")

    assert len(stack.executions("ord_twice")) == 1
    assert metrics[StartOutcome.ALREADY_STARTED] == 1
    assert stack.queue_depth("order-placed") == 0
    assert len(stack.emitted("ord_twice", "ApprovalRequested")) == 1


def test_a_duplicate_decision_sends_one_task_result(
    make_workflow: WorkflowFactory, send_task_calls: SendTaskCalls, metrics: EmittedMetrics
) -> None:
    stack = make_workflow()
    _request_approval(stack, "ord_dup")

    stack.publish(approved("ord_dup"), approved("ord_dup"))
    stack.deliver("relay-decision", count=2)
    stack.publish(rejected("ord_dup"))  # approve-then-reject: the first decision stands
    stack.deliver("relay-decision")

    stack.wait_for_event("ord_dup", "OrderShipped")
    assert send_task_calls.operations == ["SendTaskSuccess"]
    assert metrics[DecisionOutcome.RELAYED] == 1
    assert metrics[DecisionOutcome.DUPLICATE] == 2
    assert stack.emitted("ord_dup", "OrderCancelled") == []


def test_a_redelivered_token_message_announces_once_and_poison_fails_alone(
    make_workflow: WorkflowFactory, metrics: EmittedMetrics
) -> None:
    stack = make_workflow()
    url = stack.provisioned.queue_urls["tokens"]
    stack.publish(order_placed("ord_redelivered"))
    stack.deliver("starter")
    # Take the state machine's message off the queue and put it back twice, with a poison
    # message beside it: the relay sees a redelivery and garbage in the same stream.
    [message] = wait_until(
        lambda: stack.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages")
    )
    stack.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    for body in (message["Body"], message["Body"], json.dumps({"order_id": "ord_poison"})):
        stack.sqs.send_message(QueueUrl=url, MessageBody=body)

    stack.deliver("relay-token", count=3)

    assert len(stack.emitted("ord_redelivered", "ApprovalRequested")) == 1
    assert metrics[TokenOutcome.ANNOUNCED] == 1
    assert metrics[TokenOutcome.DUPLICATE] == 1
    assert metrics["TokenMessageMalformed"] >= 1
    # The kept token works: the workflow resumes with it.
    item = stack.token_item("ord_redelivered")
    assert item is not None
    assert item["task_token"]["S"] == json.loads(message["Body"])["task_token"]
    stack.publish(approved("ord_redelivered"))
    stack.deliver("relay-decision")
    stack.wait_for_event("ord_redelivered", "OrderShipped")


def test_a_decision_without_a_token_goes_back_to_the_queue(
    make_workflow: WorkflowFactory, metrics: EmittedMetrics, send_task_calls: SendTaskCalls
) -> None:
    stack = make_workflow()

    stack.publish(approved("ord_unknown", at=utc_now()))
    stack.deliver("relay-decision")

    assert metrics["DecisionWithoutToken"] == 1
    assert stack.queue_depth("decisions") == 1  # retried, then the DLQ: someone looks at it
    assert send_task_calls.operations == []
