"""One-click unsubscribe on moto: POST opts out, GET only asks, and no feedback request follows."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from local.http_events import HttpRequest, HttpResponse, function_url_event, parse_response
from local.provision import ProvisionedService
from services.notifications.handlers import email, unsubscribe
from tests.integration.notifications.conftest import Outbox
from tests.support.context import FakeLambdaContext
from tests.support.events import sqs_event
from tests.unit.notifications.samples import feedback_due


def call(method: str, url: str, body: bytes = b"") -> HttpResponse:
    split = urlsplit(url)
    headers = {"content-type": "application/x-www-form-urlencoded"} if body else {}
    event = function_url_event(HttpRequest(method, split.path, split.query, headers, body))
    return parse_response(
        unsubscribe.lambda_handler(event, cast(LambdaContext, FakeLambdaContext()))
    )


def headers_of(request: dict[str, Any]) -> dict[str, str]:
    return {h["Name"]: h["Value"] for h in request["Content"]["Simple"].get("Headers", [])}


def opt_out_items(notifications: ProvisionedService) -> list[Any]:
    table = notifications.tables["opt-outs"]
    return list(boto3.client("dynamodb").scan(TableName=table)["Items"])


def test_one_click_post_opts_out_and_the_next_feedback_request_is_not_sent(
    outbox: Outbox, notifications: ProvisionedService
) -> None:
    email.dependencies.cache_clear()
    unsubscribe.dependencies.cache_clear()
    context = cast(LambdaContext, FakeLambdaContext())
    email.lambda_handler(sqs_event(feedback_due("ord_1")), context)
    [request] = outbox.requests
    headers = headers_of(request)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")

    # A mail scanner's GET asks, and changes nothing
    looked = call("GET", link)
    assert looked.status == 200
    assert "Stop feedback requests" in looked.text
    assert opt_out_items(notifications) == []

    # The mail client's one-click POST opts out; a forged one does not
    forged = call("POST", link.replace("sig=", "sig=x"), b"List-Unsubscribe=One-Click")
    assert forged.status == 403
    done = call("POST", link, b"List-Unsubscribe=One-Click")
    assert done.status == 200
    assert "no more feedback requests" in done.text
    assert len(opt_out_items(notifications)) == 1
    assert "ada@example.com" not in str(opt_out_items(notifications))

    email.lambda_handler(sqs_event(feedback_due("ord_2")), context)
    assert len(outbox.requests) == 1
