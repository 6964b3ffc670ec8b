"""The shared SQS consumer believes an event only from the producer the contract names."""

from __future__ import annotations

import json

import pytest
from aws_lambda_powertools import Logger

from events.models import OrderApproved, OrderApprovedData
from services.common.consumer import consume_events
from tests.support.context import FakeLambdaContext
from tests.support.events import eventbridge_event, sqs_record
from tests.unit.workflow.samples import MOMENT


def approved(order_id: str) -> OrderApproved:
    return OrderApproved.create(OrderApprovedData(order_id=order_id, decided_at=MOMENT))


def test_an_event_from_a_foreign_source_fails_its_record_and_is_not_handled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    handled: list[str] = []
    forged = sqs_record(json.dumps(eventbridge_event(approved("ord_F"), source="shop.orders")))
    genuine = sqs_record(json.dumps(eventbridge_event(approved("ord_G"))))

    response = consume_events(
        {"Records": [forged, genuine]},
        FakeLambdaContext(),  # type: ignore[arg-type]
        accepts=(OrderApproved,),
        handle=lambda event: handled.append(event.order_id),
        logger=Logger(service="test-consumer"),
    )

    assert handled == ["ord_G"]
    assert response["batchItemFailures"] == [{"itemIdentifier": forged["messageId"]}]
    logs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rejections = [line for line in logs if "foreign" in line["message"]]
    assert len(rejections) == 1
    assert rejections[0]["detail_type"] == "OrderApproved"
    assert rejections[0]["source"] == "shop.orders"
