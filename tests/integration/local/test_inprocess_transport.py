"""Clients in the local stack's process reach the moto server's backends without HTTP, and get
what they would over HTTP; clients elsewhere (here: plain HTTP) see the same state."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.inprocess import TRANSPORT
from local.moto_server import MotoServer

REGION = "us-east-1"


def client(server: MotoServer, service: str) -> Any:
    return boto3.client(  # type: ignore[call-overload]
        service,
        region_name=REGION,
        endpoint_url=server.url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def over_http(server: MotoServer, call: Any) -> Any:
    TRANSPORT.release(server.port)
    try:
        return call()
    finally:
        TRANSPORT.serve(server.port)


def test_calls_are_answered_in_process_from_the_servers_backends(server: MotoServer) -> None:
    sqs = client(server, "sqs")
    before = TRANSPORT.answered
    url = sqs.create_queue(QueueName="in-process")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    assert TRANSPORT.answered - before == 2
    received = over_http(server, lambda: sqs.receive_message(QueueUrl=url)["Messages"])
    assert [m["Body"] for m in received] == ["hello"]


def test_answers_match_the_ones_over_http(server: MotoServer) -> None:
    dynamodb = client(server, "dynamodb")
    dynamodb.create_table(
        TableName="same",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="same", Item={"k": {"S": "a"}, "n": {"N": "1"}})
    direct = dynamodb.get_item(TableName="same", Key={"k": {"S": "a"}})
    via_http = over_http(server, lambda: dynamodb.get_item(TableName="same", Key={"k": {"S": "a"}}))
    assert direct["Item"] == via_http["Item"] == {"k": {"S": "a"}, "n": {"N": "1"}}


def test_errors_are_the_servers_errors(server: MotoServer) -> None:
    sqs = client(server, "sqs")

    def code(call: Any) -> str:
        with pytest.raises(ClientError) as raised:
            call()
        return str(raised.value.response["Error"]["Code"])

    in_process = code(lambda: sqs.get_queue_url(QueueName="missing"))
    assert in_process == over_http(
        server, lambda: code(lambda: sqs.get_queue_url(QueueName="missing"))
    )
    assert "NonExistentQueue" in in_process


def test_a_client_of_another_process_sees_the_same_state(server: MotoServer) -> None:
    client(server, "sqs").create_queue(QueueName="seen-from-outside")
    script = (
        "import boto3, sys; print(boto3.client('sqs', region_name='us-east-1', endpoint_url="
        "sys.argv[1], aws_access_key_id='local', aws_secret_access_key='local')"
        ".list_queues()['QueueUrls'])"
    )
    listed = subprocess.run(
        [sys.executable, "-c", script, server.url],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "seen-from-outside" in listed.stdout


def test_moto_api_calls_still_go_to_the_server(server: MotoServer) -> None:
    before = TRANSPORT.answered
    request = urllib.request.Request(  # noqa: S310 - the test's own loopback server
        f"{server.url}/moto-api/data.json"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert "sqs" in json.loads(response.read())
    assert TRANSPORT.answered == before
