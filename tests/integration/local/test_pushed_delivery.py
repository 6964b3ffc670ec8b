"""The local runtime's sources run when moto stores something, not on a timer: with their
safety-net sleep set far beyond the test's deadline, a stream record and an email still reach
their consumer at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local import event_sources, moto_patches
from local.event_sources import DynamoDbStreamEventSource, EventSourceRunner
from local.lambda_runtime import LocalFunction
from local.mailbox import Mailbox
from services.orders.wiring import WIRING
from tests.support.polling import wait_until
from tests.support.tables import create_streamed_table

REGION = "us-east-1"
NEVER = 3600.0  # a sleep no test waits out: only a wake-up can end it


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    moto_patches.apply_all()
    with mock_aws():
        yield


class CountingStreamSource(DynamoDbStreamEventSource):
    polls = 0

    def poll_once(self) -> int:
        delivered = super().poll_once()
        self.polls += 1  # counted once the poll is over: the runner sleeps next if it was empty
        return delivered


@pytest.mark.usefixtures("aws")
def test_a_stream_record_wakes_its_poller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_sources, "IDLE_CEILING_SECONDS", NEVER)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    stream = create_streamed_table(dynamodb, "pushed")
    seen: list[str] = []

    def handler(event: dict[str, Any], _: Any) -> dict[str, Any]:
        seen.extend(r["dynamodb"]["Keys"]["k"]["S"] for r in event["Records"])
        return {"batchItemFailures": []}

    function = LocalFunction(service="orders", spec=WIRING.functions[0], handler=handler)
    source = CountingStreamSource(
        boto3.client("dynamodbstreams", region_name=REGION), stream, function
    )
    runner = EventSourceRunner([source], idle_seconds=NEVER)
    runner.start()
    try:
        dynamodb.put_item(TableName="pushed", Item={"k": {"S": "first"}})
        wait_until(lambda: seen, timeout=10, what="the record to be delivered")
        # The poll after the delivery found nothing: from here only a wake-up polls again.
        wait_until(lambda: source.polls >= 2, what="the poller to find nothing more")
        dynamodb.put_item(TableName="pushed", Item={"k": {"S": "second"}})
        wait_until(lambda: seen, count=2, timeout=10, what="the second record")
    finally:
        runner.stop()
    assert seen == ["first", "second"]


@pytest.mark.usefixtures("aws")
def test_an_email_is_stamped_when_it_is_sent() -> None:
    mailbox = Mailbox(REGION, {})
    mailbox.idle_seconds = NEVER
    runner = EventSourceRunner([mailbox], idle_seconds=NEVER)
    runner.start()
    try:
        ses = boto3.client("sesv2", region_name=REGION)
        ses.create_email_identity(EmailIdentity="shop@example.com")
        ses.send_email(
            FromEmailAddress="shop@example.com",
            Destination={"ToAddresses": ["grace@example.com"]},
            Content={"Simple": {"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "b"}}}},
        )
        # The runner stamps it; _seen is read without looking (items() would look itself).
        wait_until(lambda: mailbox._seen, timeout=10, what="the runner to see the email")
    finally:
        runner.stop()
        mailbox.close()
    assert [m.subject for m in mailbox.emails_to("grace@example.com")] == ["Hello"]
