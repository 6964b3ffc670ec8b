"""Hostile-input properties: the orders API and the approval links on moto.

Each test function gets its own moto account through the ``aws`` fixture, provisioned once
from the service's wiring and reused by every example Hypothesis draws in that function
(hence the suppressed function-scoped-fixture health check: sharing is the intent, and each
example compares the state before and after itself rather than assuming a fresh one).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from hypothesis import HealthCheck, settings

from events.models import ApprovalRequested, utc_now
from local.catalogue import seed
from local.http_events import (
    HttpRequest,
    HttpResponse,
    function_url_event,
    http_api_event,
    parse_response,
)
from local.provision import ProvisionedService, provision
from services.approvals.handlers import decision, request
from services.approvals.links import LinkSigner, SigningKey
from services.approvals.models import Decision
from services.approvals.wiring import WIRING as APPROVALS
from services.common.wiring import HttpRoute
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.handlers import api
from services.orders.wiring import WIRING as ORDERS
from tests.support.context import FakeLambdaContext
from tests.support.customers import ADA, authorizer_context
from tests.support.events import sqs_event
from tests.support.orders import example
from tests.unit.approvals.fakes import StaticKeyring

DECISION_URL = "https://hostile.lambda-url.us-east-1.on.aws"


def hostile_settings(max_examples: int) -> settings:
    """Few examples (moto is slow-ish), no per-example deadline, one account per function."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def lambda_context(name: str) -> LambdaContext:
    return cast(LambdaContext, FakeLambdaContext(function_name=name))


def _env(monkeypatch: pytest.MonkeyPatch, provisioned: ProvisionedService) -> None:
    for name, value in provisioned.env.items():
        monkeypatch.setenv(name, value)


# --- the orders API ---------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class OrdersApi:
    provisioned: ProvisionedService
    dynamodb: Any  # one client per test: creating one costs more than the call it makes

    def __repr__(self) -> str:  # Hypothesis prints the fixtures of a failing example
        return "OrdersApi(<orders on moto>)"

    def call(self, request: HttpRequest, route: HttpRoute, params: dict[str, str]) -> HttpResponse:
        """As a signed-in customer: API Gateway's authorizer accepted their id token (its
        refusals are the auth properties' business, tests/property/test_orders_api_auth.py)."""
        event = http_api_event(request, route, params)
        event["requestContext"]["authorizer"] = authorizer_context(ADA)
        return parse_response(api.lambda_handler(event, lambda_context("orders-api")))

    def count(self, table: str) -> int:
        name = self.provisioned.tables[table]
        scanned = self.dynamodb.scan(TableName=name, Select="COUNT", ConsistentRead=True)
        return int(scanned["Count"])


@pytest.fixture
def orders_api(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[OrdersApi]:
    provisioned = provision(ORDERS)
    _env(monkeypatch, provisioned)
    # The sample catalogue, so that orders for shoes and socks (the OpenAPI example) are priced.
    seed(DynamoCatalogue(boto3.resource("dynamodb"), provisioned.tables["catalogue"]))
    api.dependencies.cache_clear()
    yield OrdersApi(provisioned, boto3.client("dynamodb"))
    api.dependencies.cache_clear()


# --- the approval links -----------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class DecisionPage:
    """One pending approval, its genuine links, and ways to see whether anything changed."""

    def __repr__(self) -> str:  # never the signing key, even in a failure report
        return f"DecisionPage(approval_id={self.approval_id!r})"

    provisioned: ProvisionedService
    approval_id: str
    link_expires: int
    signing_key: SigningKey
    catcher_url: str
    dynamodb: Any
    sqs: Any

    @property
    def signer(self) -> LinkSigner:
        return LinkSigner(StaticKeyring(self.signing_key))

    def link(self, choice: Decision) -> str:
        """The genuine link (path and query) the owner's message carries."""
        url = self.signer.url(DECISION_URL, self.approval_id, choice, self.link_expires)
        return url.removeprefix(DECISION_URL)

    def get(self, path: str, query: str = "") -> HttpResponse:
        return self._invoke(HttpRequest("GET", path, query, {"accept": "text/html"}))

    def post(
        self, path: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"
    ) -> HttpResponse:
        # Function URLs base64-encode anything that is not text: forms arrive encoded.
        headers = {"content-type": content_type, "accept": "text/html"}
        return self._invoke(HttpRequest("POST", path, "", headers, body))

    def _invoke(self, http_request: HttpRequest) -> HttpResponse:
        event = function_url_event(http_request)
        return parse_response(decision.lambda_handler(event, lambda_context("approvals-decision")))

    def items(self) -> list[dict[str, Any]]:
        table = self.provisioned.tables["approvals"]
        found = self.dynamodb.scan(TableName=table, ConsistentRead=True)["Items"]
        return sorted(found, key=lambda item: str(item["approval_id"]["S"]))

    def bus_events(self) -> list[str]:
        """Detail-types approvals put on the bus since the last look."""
        sqs, seen = self.sqs, []
        while messages := sqs.receive_message(
            QueueUrl=self.catcher_url, MaxNumberOfMessages=10
        ).get("Messages", []):
            for message in messages:
                seen.append(json.loads(message["Body"])["detail-type"])
                sqs.delete_message(
                    QueueUrl=self.catcher_url, ReceiptHandle=message["ReceiptHandle"]
                )
        return seen


def _approval_requested(order_id: str) -> ApprovalRequested:
    """The contract's full example, made current: requested now, an hour to answer."""
    now = utc_now()
    return example(
        ApprovalRequested,
        occurred_at=now,
        order_id=order_id,
        requested_at=now,
        approval_deadline=now + timedelta(hours=1),
    )


@pytest.fixture
def decision_page(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[DecisionPage]:
    provisioned = provision(APPROVALS, function_urls={"approvals/decision": DECISION_URL})
    _env(monkeypatch, provisioned)
    sqs, events = boto3.client("sqs"), boto3.client("events")
    catcher_url = sqs.create_queue(QueueName="hostile-bus-catcher")["QueueUrl"]
    catcher_arn = sqs.get_queue_attributes(QueueUrl=catcher_url, AttributeNames=["QueueArn"])
    bus = provisioned.env["EVENT_BUS_NAME"]
    events.put_rule(
        Name="hostile-catch-approvals",
        EventBusName=bus,
        EventPattern=json.dumps({"source": ["shop.approvals"]}),
    )
    events.put_targets(
        Rule="hostile-catch-approvals",
        EventBusName=bus,
        Targets=[{"Id": "catcher", "Arn": catcher_arn["Attributes"]["QueueArn"]}],
    )
    request.dependencies.cache_clear()
    decision.dependencies.cache_clear()

    opened = request.lambda_handler(
        sqs_event(_approval_requested("ord_hostile")), lambda_context("approvals-request")
    )
    assert opened == {"batchItemFailures": []}
    table = provisioned.tables["approvals"]
    items = boto3.client("dynamodb").scan(TableName=table, ConsistentRead=True)["Items"]
    [approval] = [item for item in items if item["kind"]["S"] == "approval"]
    secret = boto3.client("secretsmanager").get_secret_value(
        SecretId=provisioned.secret_ids["signing-key"]
    )
    yield DecisionPage(
        provisioned=provisioned,
        approval_id=approval["approval_id"]["S"],
        link_expires=int(approval["link_expires"]["N"]),
        signing_key=SigningKey(secret["VersionId"], str(secret["SecretString"]).encode()),
        catcher_url=catcher_url,
        dynamodb=boto3.client("dynamodb"),
        sqs=sqs,
    )
    request.dependencies.cache_clear()
    decision.dependencies.cache_clear()
