"""The start-up patches on moto's per-request path: a request routed once, a backend found
without moto's global lock, SQS's retention check and clock without rebuilding the queue, a
DynamoDB transaction that backs up only what it names. Each keeps moto's answers."""

from __future__ import annotations

import copy
import inspect
import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import moto.cognitoidp.models as cognito_models
import moto.core.utils
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import base_backend
from moto.core.responses import BaseResponse
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import Item
from moto.sqs.models import SQSBackend, sqs_backends

from local import moto_patches
from local.moto_patches import backends, dynamodb_transactions, sqs_queues
from local.moto_patches.errors import MotoPatchError
from tests.support.tables import create_streamed_table

REGION = "us-east-1"
ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    moto_patches.apply_all()
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


def test_a_request_is_routed_once_and_a_response_class_listed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    sqs.list_queues()  # the response class's methods are listed on its first request
    routed: list[object] = []
    original = BaseResponse._get_action_from_request

    def routing(self: BaseResponse, request: Any) -> Any:
        routed.append(request)
        return original(self, request)

    def no_listing(*_: Any, **__: Any) -> list[Any]:
        raise AssertionError("listed a response class's members again")

    monkeypatch.setattr(BaseResponse, "_get_action_from_request", routing)
    monkeypatch.setattr(inspect, "getmembers", no_listing)
    url = sqs.create_queue(QueueName="routed-once")["QueueUrl"]
    assert sqs.list_queues()["QueueUrls"] == [url]
    assert len(routed) == 2  # one per request, not one per step of moto's dispatch


def test_an_unknown_action_is_still_refused() -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    with pytest.raises(ClientError) as raised:
        sqs.get_queue_url(QueueName="not-there")
    assert "NonExistentQueue" in raised.value.response["Error"]["Code"]


def test_a_known_account_finds_its_backend_without_moto_s_global_lock() -> None:
    region = sqs_backends[ACCOUNT][REGION]  # created, under moto's lock

    class Refused:
        def __enter__(self) -> None:
            raise AssertionError("took moto's backend lock")

        def __exit__(self, *_: object) -> None:
            return None

    with pytest.MonkeyPatch.context() as patched:  # mock_aws's reset needs the real lock after
        patched.setattr(base_backend, "backend_lock", Refused())
        assert sqs_backends[ACCOUNT][REGION] is region
        with pytest.raises(AssertionError, match="backend lock"):
            sqs_backends["000000000042"]  # a new account still goes through moto's own code


def test_a_backend_patch_on_a_moved_moto_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    def moved(self: Any, account_id: str) -> None:  # a moto that creates backends elsewhere
        return None

    monkeypatch.setattr(backends, "_ORIGINAL", moved)
    monkeypatch.setattr(base_backend.BackendDict, "_create_account_specific_backend", moved)
    with pytest.raises(MotoPatchError, match="no longer contains 'with backend_lock:'"):
        backends.apply()


def test_a_message_is_received_within_the_queue_s_retention_and_not_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="kept", Attributes={"MessageRetentionPeriod": "60"})[
        "QueueUrl"
    ]
    sqs.send_message(QueueUrl=url, MessageBody="fresh")
    received = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
    assert [m["Body"] for m in received] == ["fresh"]

    later = time.time() + 61

    class Later:
        @staticmethod
        def time() -> float:
            return later

    monkeypatch.setattr(sqs_queues, "time", Later)
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []


def test_sqs_reads_the_clock_moto_reads() -> None:
    assert abs(sqs_queues.unix_time() - sqs_queues._ORIGINAL_UNIX_TIME()) < 1.0
    assert abs(sqs_queues.unix_time_millis() - sqs_queues._ORIGINAL_UNIX_TIME_MILLIS()) < 1000
    fixed = moto.core.utils.utcnow()
    assert sqs_queues.unix_time(fixed) == sqs_queues._ORIGINAL_UNIX_TIME(fixed)


def test_a_retention_patch_on_a_moved_moto_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    def moved(self: Any, queue_name: str, message: Any) -> bool:  # no retention check at all
        return True

    monkeypatch.setattr(sqs_queues, "_ORIGINAL_CHECK", moved)
    monkeypatch.setattr(SQSBackend, "is_message_valid_based_on_retention_period", moved)
    with pytest.raises(MotoPatchError, match="no longer contains 'get_queue_attributes\\('"):
        sqs_queues.apply()


def _ledger(dynamodb: Any) -> str:
    return create_streamed_table(dynamodb, "ledger")


def _stream_records(stream_arn: str) -> list[Any]:
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return list(streams.get_records(ShardIterator=iterator)["Records"])


def _decide(dynamodb: Any, key: str, *, unless_exists: str) -> None:
    dynamodb.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": "ledger",
                    "Key": {"k": {"S": key}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"N": "2"}},
                }
            },
            {
                "ConditionCheck": {
                    "TableName": "ledger",
                    "Key": {"k": {"S": unless_exists}},
                    "ConditionExpression": "attribute_not_exists(k)",
                }
            },
        ]
    )


def test_a_cancelled_transaction_leaves_the_items_and_the_stream_as_they_were() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    stream = _ledger(dynamodb)
    for key in ("a", "b"):
        dynamodb.put_item(TableName="ledger", Item={"k": {"S": key}, "v": {"N": "1"}})

    with pytest.raises(ClientError) as raised:
        _decide(dynamodb, "a", unless_exists="b")
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    item = dynamodb.get_item(TableName="ledger", Key={"k": {"S": "a"}}, ConsistentRead=True)
    assert item["Item"]["v"] == {"N": "1"}
    assert len(_stream_records(stream)) == 2

    _decide(dynamodb, "a", unless_exists="nobody")
    item = dynamodb.get_item(TableName="ledger", Key={"k": {"S": "a"}}, ConsistentRead=True)
    assert item["Item"]["v"] == {"N": "2"}
    assert len(_stream_records(stream)) == 3


def test_a_transaction_copies_the_items_it_names_not_the_whole_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    _ledger(dynamodb)
    for n in range(30):
        dynamodb.put_item(TableName="ledger", Item={"k": {"S": f"item-{n}"}, "v": {"N": "1"}})
    copied: list[Any] = []
    real_deepcopy = copy.deepcopy

    def counting(value: Any, memo: Any = None) -> Any:
        if isinstance(value, Item):
            copied.append(value)
        return real_deepcopy(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting)
    _decide(dynamodb, "item-0", unless_exists="nobody")
    # The named item (the backup, and moto's own copies of its images), none of the others.
    assert copied
    assert {item.attrs["k"].value for item in copied} == {"item-0"}


def test_a_transaction_patch_on_a_moved_moto_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    def moved(self: Any, transact_items: list[Any]) -> None:  # a moto with another rollback
        return None

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", moved)
    with pytest.raises(MotoPatchError, match="original_table_state"):
        dynamodb_transactions.apply()


def test_sign_ins_never_fail_while_other_customers_sign_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given moto's walk over a pool's users (to find one by e-mail) held open a while
    models: Any = cognito_models
    real_flatten = models.flatten_attrs

    def slow_flatten(attributes: Any) -> Any:
        time.sleep(0.001)
        return real_flatten(attributes)

    monkeypatch.setattr(cognito_models, "flatten_attrs", slow_flatten)
    idp = boto3.client("cognito-idp", region_name=REGION)
    pool = idp.create_user_pool(PoolName="customers", UsernameAttributes=["email"])["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    password = "Local-Passw0rd"  # moto's Cognito, made here

    def sign_up(email: str) -> None:
        idp.admin_create_user(UserPoolId=pool["Id"], Username=email, MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=pool["Id"], Username=email, Password=password, Permanent=True
        )

    for n in range(15):
        sign_up(f"early-{n}@example.com")
    failures: list[str] = []

    def sign_ups() -> None:
        for n in range(15):
            sign_up(f"late-{n}@example.com")

    def sign_ins() -> None:
        for _ in range(15):
            try:
                idp.initiate_auth(
                    ClientId=client,
                    AuthFlow="USER_PASSWORD_AUTH",
                    AuthParameters={"USERNAME": "early-14@example.com", "PASSWORD": password},
                )
            except Exception as error:  # what a customer would see, recorded
                failures.append(f"{type(error).__name__}: {error}")

    # When customers sign in while others sign up
    threads = [threading.Thread(target=sign_ups), threading.Thread(target=sign_ins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then every sign-in succeeds and every customer is there
    assert failures == []
    users = idp.list_users(UserPoolId=pool["Id"], Limit=60)["Users"]
    assert len(users) == 30


def test_nothing_survives_a_reset_not_even_a_backend_made_during_one() -> None:
    # SES v2's backend takes SES's when a reset re-creates it, after the reset cleared SES's.
    sesv2 = boto3.client("sesv2", region_name=REGION)
    for _ in range(3):
        sesv2.create_configuration_set(ConfigurationSetName="customer-email")
        base_backend.BackendDict.reset()
