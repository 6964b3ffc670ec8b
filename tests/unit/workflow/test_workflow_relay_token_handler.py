"""The token relay's doorway: malformed messages fail alone and leak nothing."""

from __future__ import annotations

import json

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from services.workflow.handlers import relay_token
from services.workflow.models import MalformedTokenMessageError, parse_token_request
from tests.support.context import FakeLambdaContext
from tests.support.events import sqs_record
from tests.unit.workflow.samples import order_placed, token_message

EMAIL = order_placed().data.customer.email


def test_a_malformed_token_message_names_the_fields_not_the_values() -> None:
    body = {**token_message(token="secret-token"), "approval_window_seconds": 0}
    body["order"]["total"] = "1.00"  # does not match the items

    with pytest.raises(MalformedTokenMessageError) as caught:
        parse_token_request(json.dumps(body))

    message = str(caught.value)
    assert "approval_window_seconds" in message
    assert "order" in message
    assert "secret-token" not in message
    assert EMAIL not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_a_poison_message_fails_without_logging_the_token_or_the_email(
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = json.dumps({**token_message(token="secret-token"), "requested_at": "yesterday"})
    record = sqs_record(body, message_id="poison")

    # A batch of nothing but poison fails as a whole (Powertools raises); mixed batches are
    # covered on moto in tests/integration/workflow.
    with pytest.raises(BatchProcessingError) as caught:
        relay_token.lambda_handler({"Records": [record]}, FakeLambdaContext())

    logged = capsys.readouterr().out + str(caught.value)
    assert "requested_at" in logged
    assert "secret-token" not in logged
    assert EMAIL not in logged


def test_a_token_message_is_about_one_order() -> None:
    body = {**token_message("ord_A"), "order_id": "ord_B"}

    with pytest.raises(MalformedTokenMessageError, match="order_id differs"):
        parse_token_request(json.dumps(body))
