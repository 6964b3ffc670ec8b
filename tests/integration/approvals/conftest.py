"""The approvals service provisioned on moto from its wiring, with an owner's inbox (an SQS
queue subscribed to the owner topic) and a bus catcher (a rule sending approvals' events to a
queue), driven through its two real handlers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from events.models import Event, parse_detail
from local.http_events import HttpRequest, HttpResponse, function_url_event, parse_response
from local.provision import ProvisionedService, provision
from services.approvals.adapters.signing_key import SecretKeyring
from services.approvals.handlers import decision, request
from services.approvals.links import LinkSigner, SigningKey
from services.approvals.wiring import WIRING
from tests.support.context import FakeLambdaContext
from tests.support.events import sqs_event
from tests.support.schemas import assert_matches_schema

DECISION_URL = "https://abcdefghij.lambda-url.us-east-1.on.aws"


@dataclass(frozen=True)
class OwnerMessage:
    subject: str
    text: str


@dataclass(frozen=True)
class BusEvent:
    detail_type: str
    source: str
    detail: dict[str, Any]

    def typed(self) -> Event:
        return parse_detail(self.detail_type, self.detail)


def _drain(sqs: Any, url: str) -> list[str]:
    bodies: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


@dataclass
class Approvals:
    provisioned: ProvisionedService
    inbox_url: str
    catcher_url: str
    _owner: list[OwnerMessage] = field(default_factory=list)
    _bus: list[BusEvent] = field(default_factory=list)

    @property
    def table(self) -> str:
        return self.provisioned.tables["approvals"]

    @property
    def secret_id(self) -> str:
        return self.provisioned.secret_ids["signing-key"]

    @property
    def signer(self) -> LinkSigner:
        """Signs and verifies as the service does, with the secret's current keys."""
        return LinkSigner(self._keyring())

    def signer_key(self) -> SigningKey:
        return self._keyring().current()

    def _keyring(self) -> SecretKeyring:
        return SecretKeyring(boto3.client("secretsmanager"), self.secret_id)

    # --- the request function (SQS) -------------------------------------------------

    def deliver(self, *events: Event) -> dict[str, Any]:
        return dict(request.lambda_handler(sqs_event(*events), lambda_context()))

    def owner_messages(self) -> list[OwnerMessage]:
        """Every owner message sent so far (SNS -> SQS envelope unwrapped)."""
        for body in _drain(boto3.client("sqs"), self.inbox_url):
            envelope = json.loads(body)
            self._owner.append(OwnerMessage(envelope.get("Subject", ""), envelope["Message"]))
        return list(self._owner)

    # --- the decision function (Function URL) ---------------------------------------

    def open(self, url: str) -> HttpResponse:
        """GET a link the way a browser (or a mail scanner) does."""
        split = urlsplit(url)
        return self._invoke(HttpRequest("GET", split.path, split.query, {"accept": "text/html"}))

    def head(self, url: str) -> HttpResponse:
        """HEAD a link, as a link checker does."""
        split = urlsplit(url)
        return self._invoke(HttpRequest("HEAD", split.path, split.query, {"accept": "text/html"}))

    def submit(self, url: str, fields: dict[str, str]) -> HttpResponse:
        """POST a form to ``url``'s path, form-encoded (base64 on the wire, as AWS sends it)."""
        headers = {"content-type": "application/x-www-form-urlencoded", "accept": "text/html"}
        body = urlencode(fields).encode()
        return self._invoke(HttpRequest("POST", urlsplit(url).path, "", headers, body))

    def submit_raw(self, url: str, body: bytes) -> HttpResponse:
        headers = {"content-type": "application/x-www-form-urlencoded"}
        return self._invoke(HttpRequest("POST", urlsplit(url).path, "", headers, body))

    def _invoke(self, http_request: HttpRequest) -> HttpResponse:
        event = function_url_event(http_request)
        return parse_response(decision.lambda_handler(event, lambda_context()))

    # --- the bus ----------------------------------------------------------------------

    def bus_events(self, detail_type: str | None = None) -> list[BusEvent]:
        """Every event approvals put on the bus so far, each checked against its schema."""
        for body in _drain(boto3.client("sqs"), self.catcher_url):
            envelope = json.loads(body)
            event = BusEvent(envelope["detail-type"], envelope["source"], envelope["detail"])
            assert_matches_schema(event.detail_type, event.detail)
            event.typed()  # and against its model
            self._bus.append(event)
        return [e for e in self._bus if detail_type in (None, e.detail_type)]

    def items(self) -> list[dict[str, Any]]:
        return list(
            boto3.client("dynamodb").scan(TableName=self.table, ConsistentRead=True)["Items"]
        )


@pytest.fixture
def approvals(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Approvals]:
    provisioned = provision(WIRING, function_urls={"approvals/decision": DECISION_URL})
    for name, value in provisioned.env.items():
        monkeypatch.setenv(name, value)
    sqs, sns, events = boto3.client("sqs"), boto3.client("sns"), boto3.client("events")

    inbox_url = sqs.create_queue(QueueName="owner-inbox")["QueueUrl"]
    sns.subscribe(
        TopicArn=provisioned.topic_arns["owner-notifications"],
        Protocol="sqs",
        Endpoint=_arn(sqs, inbox_url),
    )
    catcher_url = sqs.create_queue(QueueName="bus-catcher")["QueueUrl"]
    bus = provisioned.env["EVENT_BUS_NAME"]
    events.put_rule(
        Name="catch-approvals",
        EventBusName=bus,
        EventPattern=json.dumps({"source": ["shop.approvals"]}),
    )
    events.put_targets(
        Rule="catch-approvals",
        EventBusName=bus,
        Targets=[{"Id": "catcher", "Arn": _arn(sqs, catcher_url)}],
    )

    request.dependencies.cache_clear()
    decision.dependencies.cache_clear()
    yield Approvals(provisioned, inbox_url, catcher_url)
    request.dependencies.cache_clear()
    decision.dependencies.cache_clear()


def lambda_context() -> LambdaContext:
    return cast(LambdaContext, FakeLambdaContext())


def _arn(sqs: Any, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])
