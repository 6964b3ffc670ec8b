"""The start-up patches of moto's hot spots: each applies, caches what it says, keeps moto's
answers, and refuses to apply to a moto whose code moved."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import jsonpath_ng.ext
import moto.backends
import moto.dynamodb.models as dynamodb_models
import pytest
from moto import mock_aws
from moto.dynamodb.parsing.validators import UpdateExpressionValidator
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_sqs,
)
from moto.stepfunctions.parser.asl.parse.asl_parser import (
    AmazonStateLanguageParser,
    ASLParserException,
)
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

from local import moto_patches
from local.moto_patches import asl_trees, dispatch, event_templates, sfn_clients, signals
from local.moto_patches.errors import MotoPatchError
from tests.support.polling import wait_until
from tests.support.tables import create_streamed_table

REGION = "us-east-1"
DEFINITION = json.dumps(
    {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}}
)


@pytest.fixture(autouse=True)
def patched() -> None:
    moto_patches.apply_all()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


def test_applying_twice_changes_nothing_more() -> None:
    ext: Any = jsonpath_ng.ext
    before = (moto.backends.list_of_moto_modules, ext.parse)
    moto_patches.apply_all()
    assert (moto.backends.list_of_moto_modules, ext.parse) == before


def test_the_module_list_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_listing(path: str) -> list[str]:
        raise AssertionError(f"listed {path} again")

    monkeypatch.setattr(os, "listdir", no_listing)
    modules = list(moto.backends.list_of_moto_modules())
    assert "sqs" in modules
    assert "stepfunctions" in modules


@pytest.mark.usefixtures("aws")
def test_bus_targets_get_the_default_template_with_each_path_parsed_once() -> None:
    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="target")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    events.put_rule(Name="all", EventPattern=json.dumps({"source": ["shop.test"]}))
    events.put_targets(Rule="all", Targets=[{"Id": "q", "Arn": arn["QueueArn"]}])
    for n in range(2):
        events.put_events(
            Entries=[{"Source": "shop.test", "DetailType": "T", "Detail": json.dumps({"n": n})}]
        )
    hits_before = event_templates.cache_info().hits
    events.put_events(
        Entries=[{"Source": "shop.test", "DetailType": "T", "Detail": json.dumps({"n": 2})}]
    )
    assert event_templates.cache_info().hits - hits_before >= 8  # every path, no new parser
    bodies = [
        json.loads(m["Body"])
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    ]
    assert sorted(b["detail"]["n"] for b in bodies) == [0, 1, 2]
    assert {b["detail-type"] for b in bodies} == {"T"}


def test_a_definition_is_parsed_once_and_each_execution_gets_fresh_components() -> None:
    first, tree = AmazonStateLanguageParser.parse(DEFINITION)
    second, same_tree = AmazonStateLanguageParser.parse(DEFINITION)
    assert same_tree is tree
    assert second is not first
    assert asl_trees.cache_info().hits >= 1


def test_a_broken_definition_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ASLParserException):
            AmazonStateLanguageParser.parse('{"StartAt": "X", "States": {"X": {"Type": 1}}}')


@pytest.mark.usefixtures("aws")
def test_executions_still_run_with_the_cached_tree() -> None:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = sfn.create_state_machine(
        name="m", definition=DEFINITION, roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    for name in ("one", "two"):
        sfn.start_execution(stateMachineArn=machine, name=name)
    statuses = {e["status"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]}
    assert statuses <= {"RUNNING", "SUCCEEDED"}
    assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 2


def test_task_states_share_one_client_per_service() -> None:
    task_module: Any = state_task_service_sqs
    first = task_module.boto_client_for(REGION, "sqs")
    assert task_module.boto_client_for(REGION, "sqs") is first
    assert task_module.boto_client_for(REGION, "sns") is not first
    assert sfn_clients.cached_clients() >= 2


@pytest.mark.usefixtures("aws")
def test_a_stream_record_and_an_email_wake_their_listeners() -> None:
    streams, mail = threading.Event(), threading.Event()
    signals.STREAM_RECORDS.subscribe(streams)
    signals.MAIL.subscribe(mail)
    try:
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_streamed_table(dynamodb, "t")
        assert not streams.is_set()
        dynamodb.put_item(TableName="t", Item={"k": {"S": "a"}})
        assert streams.is_set()
        ses = boto3.client("sesv2", region_name=REGION)
        ses.create_email_identity(EmailIdentity="shop@example.com")
        assert not mail.is_set()
        ses.send_email(
            FromEmailAddress="shop@example.com",
            Destination={"ToAddresses": ["c@example.com"]},
            Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
        )
        assert mail.is_set()
    finally:
        signals.STREAM_RECORDS.unsubscribe(streams)
        signals.MAIL.unsubscribe(mail)


def test_a_moved_hot_spot_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    def list_modules() -> list[str]:  # a moto that no longer scans its folder
        return ["sqs"]

    monkeypatch.setattr(dispatch, "_ORIGINAL", list_modules)
    monkeypatch.setattr("moto.backends.list_of_moto_modules", list_modules)
    with pytest.raises(MotoPatchError, match=r"no longer contains 'os\.listdir'"):
        dispatch.apply()


def test_a_hook_on_a_vanished_method_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    class Shard:
        pass

    gone: Any = ((Shard, "add", "self.items.append(", signals.STREAM_RECORDS),)
    monkeypatch.setattr(signals, "_HOOKS", gone)
    with pytest.raises(MotoPatchError, match=r"Shard\.add is gone"):
        signals.apply()


@pytest.mark.usefixtures("aws")
def test_racing_conditional_writes_on_one_item_let_exactly_one_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given moto's window between a condition's check and the write held open a while
    checked_and_waiting = threading.Barrier(2, timeout=0.2)

    class SlowValidator(UpdateExpressionValidator):
        def validate(self) -> Any:
            # Two writers meet here only if both passed the condition.
            with contextlib.suppress(threading.BrokenBarrierError):
                checked_and_waiting.wait()
            return super().validate()

    monkeypatch.setattr(dynamodb_models, "UpdateExpressionValidator", SlowValidator)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    dynamodb.create_table(
        TableName="ledger",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="ledger", Item={"id": {"S": "a"}, "status": {"S": "pending"}})
    winners: list[str] = []

    def decide(outcome: str) -> None:
        try:
            dynamodb.update_item(
                TableName="ledger",
                Key={"id": {"S": "a"}},
                UpdateExpression="SET #s = :outcome",
                ConditionExpression="#s = :pending",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":outcome": {"S": outcome},
                    ":pending": {"S": "pending"},
                },
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return
        winners.append(outcome)

    # When an approval and a cancellation write at the same moment
    threads = [threading.Thread(target=decide, args=(o,)) for o in ("approved", "cancelled")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    # Then one of them wins and the item holds what it wrote
    assert len(winners) == 1
    item = dynamodb.get_item(TableName="ledger", Key={"id": {"S": "a"}}, ConsistentRead=True)
    assert item["Item"]["status"]["S"] == winners[0]


def test_a_task_token_is_answered_while_another_execution_is_still_starting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    starting, release = threading.Event(), threading.Event()
    build_program = ExecutionWorker._get_evaluation_entrypoint

    def slow_to_start(worker: Any) -> Any:
        if worker._evaluation_details.execution_details.name == "starting":
            starting.set()
            release.wait(10)  # still RUNNING, its environment not built yet
        return build_program(worker)

    monkeypatch.setattr(ExecutionWorker, "_get_evaluation_entrypoint", slow_to_start)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sqs = boto3.client("sqs", region_name=REGION)
        sfn = boto3.client("stepfunctions", region_name=REGION)
        queue = sqs.create_queue(QueueName="tokens")["QueueUrl"]
        machine = sfn.create_state_machine(
            name="waits",
            definition=json.dumps(
                {
                    "StartAt": "Ask",
                    "States": {
                        "Ask": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            "Parameters": {"QueueUrl": queue, "MessageBody.$": "$$.Task.Token"},
                            "End": True,
                        }
                    },
                }
            ),
            roleArn="arn:aws:iam::123456789012:role/r",
        )["stateMachineArn"]
        # Given an execution still starting and, after it, one waiting for its token
        sfn.start_execution(stateMachineArn=machine, name="starting")
        assert starting.wait(5)
        try:
            waiting = sfn.start_execution(stateMachineArn=machine, name="waiting")["executionArn"]
            message = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5)["Messages"][0]
            # When the waiting one's token is answered
            sfn.send_task_success(taskToken=message["Body"], output="{}")
        finally:
            release.set()

        # Then the waiting execution goes on to its end
        def status() -> str:
            return str(sfn.describe_execution(executionArn=waiting)["status"])

        assert wait_until(lambda: status() == "SUCCEEDED", what="the answered execution")
