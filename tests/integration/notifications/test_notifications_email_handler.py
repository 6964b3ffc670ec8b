"""The email handler on moto: SQS batches of bus events in, SES emails out.

How moto 5.2.5 handles SES v2 ``SendEmail`` (read from ``moto/sesv2`` and ``moto/ses``):

- It needs a verified identity: ``FromEmailAddress`` (its address part) or its domain must be
  an identity in the SES backend, else the call fails with ``MessageRejected`` ("Email address
  not verified ..."). ``sesv2.create_email_identity(EmailIdentity=<address or domain>)`` (or
  v1 ``verify_email_identity`` / ``verify_domain_identity``) verifies at once, no DNS or click.
- SES v2 shares the v1 backend: sent emails land in
  ``moto.ses.models.ses_backends[account_id][region].sent_messages`` (a list, oldest first) as
  ``moto.ses.models.Message`` with ``id`` (the MessageId returned), ``source``,
  ``destinations`` (``{"ToAddresses": [...]}``), ``subject`` and ``body``. The account is
  ``moto.core.models.DEFAULT_ACCOUNT_ID`` (123456789012) for any access key not created in
  moto's IAM; the region is the sending client's. In server mode the list is readable this
  way only from the process the server runs in (``moto.server.ThreadedMotoServer``).
- For ``Simple`` content with both parts, ``body`` keeps only the HTML part; the text part is
  dropped. These tests therefore read the text from the ``SendEmail`` request itself (a
  botocore hook, see ``conftest.Outbox``) and everything else from what moto kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError, ReadTimeoutError

from events.models import Event
from local.provision import ProvisionedService
from services.notifications.adapters.mailer import SEND_BUDGET_MS
from services.notifications.handlers import email as email_handler
from services.notifications.handlers.email import lambda_handler as handler
from tests.integration.conftest import EmittedMetrics
from tests.integration.notifications.conftest import Outbox
from tests.support.context import FakeLambdaContext
from tests.support.events import eventbridge_event, sqs_event
from tests.support.polling import wait_until
from tests.unit.notifications.samples import (
    feedback_due,
    order_cancelled,
    order_placed,
    order_shipped,
)

SENDER = "shop@example.com"


def ledger_entry(notifications: ProvisionedService, order_id: str, kind: str) -> dict[str, str]:
    item = boto3.client("dynamodb").get_item(
        TableName=notifications.tables["sent-emails"],
        Key={"order_id": {"S": order_id}, "kind": {"S": kind}},
        ConsistentRead=True,
    )["Item"]
    return {name: str(next(iter(value.values()))) for name, value in item.items()}


def throttling() -> ClientError:
    return ClientError(
        {"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "SendEmail"
    )


def ses_fails(outbox: Outbox, *, times: int, error: Exception) -> None:
    """The next ``times`` SendEmail calls of the handler's clients raise ``error`` before
    reaching SES."""
    left = [times]

    def fail(**_: Any) -> None:
        if left[0] > 0:
            left[0] -= 1
            raise error

    assert boto3.DEFAULT_SESSION is not None
    boto3.DEFAULT_SESSION.events.register("before-call.sesv2.SendEmail", fail)


def invoke(event: dict[str, Any]) -> PartialItemFailureResponse:
    response: PartialItemFailureResponse = handler(event, cast(LambdaContext, FakeLambdaContext()))
    return response


def failed_ids(response: PartialItemFailureResponse) -> list[str]:
    return [str(failure["itemIdentifier"]) for failure in response["batchItemFailures"]]


@pytest.mark.parametrize(
    ("make_event", "subject", "phrase"),
    [
        (order_placed, "We received your order ord_1001", "The shop will confirm shipment soon"),
        (order_shipped, "Your order ord_1001 has shipped", "has shipped on 1 March 2026"),
        (
            lambda: order_cancelled(reason="rejected"),
            "Your order ord_1001 was cancelled",
            "the shop could not fulfil your order",
        ),
        (
            lambda: order_cancelled(reason="approval_timeout"),
            "Your order ord_1001 was cancelled",
            "the shop did not confirm your order in time",
        ),
        (feedback_due, "How was your order ord_1001?", "We would love to hear how it went"),
    ],
    ids=["received", "shipped", "cancelled-rejected", "cancelled-timeout", "feedback"],
)
def test_each_event_sends_its_email_to_the_customer(
    outbox: Outbox, make_event: Callable[[], Event], subject: str, phrase: str
) -> None:
    response = invoke(sqs_event(make_event()))

    assert failed_ids(response) == []
    [email] = outbox.delivered
    assert email.source == SENDER
    assert email.destinations == {"ToAddresses": ["ada@example.com"]}
    assert email.subject == subject
    assert phrase in email.body
    assert "Hello Ada Lovelace," in email.body
    assert "EUR 1,243.50" in email.body
    assert email.body.lstrip().startswith("<!DOCTYPE html>")
    [request] = outbox.requests
    text = request["Content"]["Simple"]["Body"]["Text"]["Data"]
    assert phrase in text
    assert "- 2 x Mug & Saucer: EUR 9.00" in text
    assert "<" not in text


def test_a_duplicate_in_the_same_batch_sends_one_email(outbox: Outbox) -> None:
    event = order_placed()

    response = invoke(sqs_event(event, event))

    assert failed_ids(response) == []
    assert [m.subject for m in outbox.delivered] == ["We received your order ord_1001"]


def test_a_duplicate_in_a_later_batch_sends_no_second_email(
    outbox: Outbox, notifications: ProvisionedService
) -> None:
    event = order_shipped()

    invoke(sqs_event(event))
    response = invoke(sqs_event(event))

    assert failed_ids(response) == []
    [email] = outbox.delivered
    ledger = boto3.client("dynamodb").get_item(
        TableName=notifications.tables["sent-emails"],
        Key={"order_id": {"S": "ord_1001"}, "kind": {"S": "shipment_confirmed"}},
    )["Item"]
    assert ledger["status"]["S"] == "sent"
    assert ledger["message_id"]["S"] == email.id
    assert "ada@example.com" not in json.dumps(ledger)  # no customer data in the ledger


def test_malformed_records_are_reported_while_the_others_are_sent(outbox: Outbox) -> None:
    bad_detail = eventbridge_event(order_placed("ord_3003"))
    bad_detail["detail"]["data"]["customer"]["email"] = "not an address"
    not_ours = eventbridge_event(order_placed("ord_4004"))
    not_ours["detail-type"] = "ApprovalRequested"
    event = sqs_event(
        order_placed("ord_1001"),
        order_shipped("ord_2002"),
        raw_bodies=("{not json", json.dumps(bad_detail), json.dumps(not_ours)),
    )
    malformed = [r["messageId"] for r in event["Records"][2:]]

    response = invoke(event)

    assert sorted(failed_ids(response)) == sorted(malformed)
    assert sorted(m.subject for m in outbox.delivered) == [
        "We received your order ord_1001",
        "Your order ord_2002 has shipped",
    ]


def test_a_sender_ses_refuses_ends_the_email_failed_with_the_reason_not_in_the_dlq(
    outbox: Outbox, notifications: ProvisionedService
) -> None:
    boto3.client("sesv2").delete_email_identity(EmailIdentity=SENDER)
    event = sqs_event(order_cancelled(reason="approval_timeout"))

    first = invoke(event)
    again = invoke(event)

    assert failed_ids(first) == failed_ids(again) == []  # done, not retried
    assert outbox.delivered == []
    entry = ledger_entry(notifications, "ord_1001", "order_cancelled")
    assert (entry["status"], entry["reason"]) == ("failed", "MessageRejected")


def test_a_throttled_send_is_retried_and_then_sent_once(
    outbox: Outbox, notifications: ProvisionedService, metrics: EmittedMetrics
) -> None:
    ses_fails(outbox, times=1, error=throttling())
    event = sqs_event(order_cancelled(reason="approval_timeout"))

    # Every record of the batch failed: Powertools fails the whole invocation (batch retried).
    with pytest.raises(BatchProcessingError):
        invoke(event)
    assert outbox.delivered == []

    retried = invoke(event)
    again = invoke(event)

    assert failed_ids(retried) == failed_ids(again) == []
    [email] = outbox.delivered
    assert "the shop did not confirm your order in time" in email.body
    assert (metrics["OrderCancelledFailed"], metrics["OrderCancelledSent"]) == (1, 1)


def test_a_timed_out_ses_call_is_sent_once_after_its_claim_goes_stale(
    outbox: Outbox, notifications: ProvisionedService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given SES times out on the first call (the email did not go out)
    monkeypatch.setenv("NOTIFICATIONS_STALE_CLAIM_SECONDS", "1")
    email_handler.dependencies.cache_clear()
    ses_fails(outbox, times=1, error=ReadTimeoutError(endpoint_url="https://email.test"))
    event = order_shipped()

    # When the message is redelivered until it goes through
    with pytest.raises(BatchProcessingError):
        invoke(sqs_event(event))
    assert ledger_entry(notifications, "ord_1001", "shipment_confirmed")["status"] == "sending"
    wait_until(
        lambda: _delivered_without_failure(sqs_event(event)),
        timeout=10,
        what="the redelivery after the claim went stale",
    )

    # Then the customer got one email, and the ledger says sent after two attempts
    assert [m.subject for m in outbox.delivered] == ["Your order ord_1001 has shipped"]
    entry = ledger_entry(notifications, "ord_1001", "shipment_confirmed")
    assert (entry["status"], entry["attempts"]) == ("sent", "2")
    assert failed_ids(invoke(sqs_event(event))) == []
    assert len(outbox.delivered) == 1


def test_a_batch_stops_taking_records_when_too_little_time_is_left(outbox: Outbox) -> None:
    event = sqs_event(order_placed(), order_shipped())
    short = FakeLambdaContext(remaining_ms=SEND_BUDGET_MS - 1)

    with pytest.raises(BatchProcessingError):
        handler(event, cast(LambdaContext, short))

    assert outbox.delivered == []
    assert failed_ids(invoke(event)) == []
    assert len(outbox.delivered) == 2


def _delivered_without_failure(event: dict[str, Any]) -> bool:
    try:
        return failed_ids(invoke(event)) == []
    except BatchProcessingError:
        return False


def test_every_kind_goes_out_once_per_order(outbox: Outbox) -> None:
    events = [order_placed(), order_shipped(), feedback_due(), order_placed("ord_2002")]

    invoke(sqs_event(*events))
    invoke(sqs_event(*reversed(events)))

    assert sorted(m.subject for m in outbox.delivered) == [
        "How was your order ord_1001?",
        "We received your order ord_1001",
        "We received your order ord_2002",
        "Your order ord_1001 has shipped",
    ]
