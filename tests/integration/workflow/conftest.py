"""The workflow service provisioned on moto from its wiring, driven queue by queue.

Each test gets the real state machine (the committed ASL through the same provisioner the
local stack uses), the three functions behind the local event source mapping, a tap on the
bus, and the metrics the handlers emitted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from events.models import Event, parse_detail
from events.publisher import EventBridgePublisher
from local.bus_tap import BusTap, TappedEvent
from local.event_sources import SqsEventSource
from local.lambda_runtime import LocalFunction, load_function
from local.provision import LocalNames, ProvisionedService, provision
from local.queues import queue_depth
from services.workflow.wiring import WIRING
from tests.support.polling import wait_until as shared_wait_until
from tests.support.schemas import assert_matches_schema

NAMES = LocalNames(prefix="wf-test", bus="shop")
TIMEOUT_SECONDS = 15.0


def wait_until(condition: Callable[[], Any], *, timeout: float = TIMEOUT_SECONDS) -> Any:
    return shared_wait_until(condition, timeout=timeout, what=str(condition))


@dataclass
class SendTaskCalls:
    """Every SendTaskSuccess / SendTaskFailure request made by clients built from now on."""

    operations: list[str] = field(default_factory=list)

    def record(self, model: Any, **_: Any) -> None:
        if model.name in {"SendTaskSuccess", "SendTaskFailure"}:
            self.operations.append(model.name)


@dataclass
class WorkflowStack:
    provisioned: ProvisionedService
    functions: dict[str, LocalFunction]
    sources: dict[str, SqsEventSource]
    tap: BusTap
    publisher: EventBridgePublisher
    sfn: Any
    dynamodb: Any
    sqs: Any

    @property
    def state_machine_arn(self) -> str:
        return next(iter(self.provisioned.state_machine_arns.values()))

    def publish(self, *events: Event) -> None:
        """Put events on the bus as their producer would."""
        self.publisher.publish(list(events))

    def deliver(self, function: str, *, count: int = 1, timeout: float = TIMEOUT_SECONDS) -> int:
        """Let the function's event source mapping deliver at least ``count`` messages."""
        source = self.sources[function]
        delivered = 0

        def enough() -> bool:
            nonlocal delivered
            delivered += source.poll_once()
            return delivered >= count

        shared_wait_until(enough, timeout=timeout, what=f"{count} deliveries to {function}")
        return delivered

    def queue_depth(self, queue: str) -> int:
        return queue_depth(self.sqs, self.provisioned.queue_urls[queue])

    def emitted(self, order_id: str, detail_type: str | None = None) -> list[TappedEvent]:
        found = self.tap.for_order(order_id, detail_type)
        for event in found:
            _assert_contract(event)
        return found

    def wait_for_event(self, order_id: str, detail_type: str, **kwargs: Any) -> TappedEvent:
        [event] = wait_until(lambda: self.emitted(order_id, detail_type), **kwargs)
        return event  # type: ignore[no-any-return]

    def executions(self, order_id: str) -> list[dict[str, Any]]:
        listed = self.sfn.list_executions(stateMachineArn=self.state_machine_arn)["executions"]
        return [e for e in listed if e["name"] == order_id]

    def wait_for_execution(self, order_id: str, status: str) -> dict[str, Any]:
        def ended() -> dict[str, Any] | None:
            [execution] = self.executions(order_id)
            described: dict[str, Any] = self.sfn.describe_execution(
                executionArn=execution["executionArn"]
            )
            return described if described["status"] != "RUNNING" else None

        described: dict[str, Any] = wait_until(ended)
        assert described["status"] == status, described
        return described

    def token_item(self, order_id: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self.dynamodb.get_item(
            TableName=self.provisioned.tables["tokens"], Key={"order_id": {"S": order_id}}
        ).get("Item")
        return item


def _assert_contract(event: TappedEvent) -> None:
    parse_detail(event.detail_type, event.detail)  # the pydantic model accepts it ...
    assert_matches_schema(event.detail_type, event.detail)  # ... and so does the schema


WorkflowFactory = Callable[..., WorkflowStack]


@pytest.fixture
def send_task_calls() -> Iterator[SendTaskCalls]:
    recorder = SendTaskCalls()
    previous = boto3.DEFAULT_SESSION
    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    boto3.DEFAULT_SESSION.events.register("before-call.sfn", recorder.record)
    yield recorder
    boto3.DEFAULT_SESSION = previous


@pytest.fixture
def make_workflow(
    aws: None, monkeypatch: pytest.MonkeyPatch, send_task_calls: SendTaskCalls
) -> Iterator[WorkflowFactory]:
    stacks: list[WorkflowStack] = []

    def make(approval_window_seconds: int = 60, feedback_delay_seconds: int = 1) -> WorkflowStack:
        provisioned = provision(
            WIRING,
            NAMES,
            settings={
                "approval_window_seconds": str(approval_window_seconds),
                "feedback_delay_seconds": str(feedback_delay_seconds),
            },
            visibility_timeout_seconds=1,
        )
        for name, value in provisioned.env.items():
            monkeypatch.setenv(name, value)
        sqs = boto3.client("sqs")
        functions = {f.name: load_function(WIRING.name, f, fresh=True) for f in WIRING.functions}
        sources = {
            f.name: SqsEventSource(
                sqs,
                provisioned.queue_urls[f.trigger.queue],
                _queue_arn(sqs, provisioned.queue_urls[f.trigger.queue]),
                functions[f.name],
                wait_seconds=1,
            )
            for f in WIRING.functions
            if f.trigger.kind == "sqs"
        }
        stack = WorkflowStack(
            provisioned=provisioned,
            functions=functions,
            sources=sources,
            tap=BusTap(boto3.client("events"), sqs, NAMES.bus, "wf-test-tap"),
            publisher=EventBridgePublisher(boto3.client("events"), NAMES.bus),
            sfn=boto3.client("stepfunctions"),
            dynamodb=boto3.client("dynamodb"),
            sqs=sqs,
        )
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        for event in stack.tap.collect():
            _assert_contract(event)


def _queue_arn(sqs: Any, url: str) -> str:
    return str(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
    )
