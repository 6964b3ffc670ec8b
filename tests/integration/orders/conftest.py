"""The orders service provisioned on moto from its own wiring, and ways to drive it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from local.bus_tap import BusTap
from local.catalogue import seed
from local.event_sources import DynamoDbStreamEventSource, SqsEventSource, drain
from local.http_events import HttpRequest, http_api_event, match_route
from local.lambda_runtime import load_function
from local.provision import ProvisionedService, provision
from services.common.wiring import HttpApiTrigger, HttpRoute
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.handlers import api, outbox, status, timeline
from services.orders.wiring import WIRING
from tests.support.context import FakeLambdaContext
from tests.support.customers import ADA, authorizer_context

ROUTES = next(f.trigger.routes for f in WIRING.functions if isinstance(f.trigger, HttpApiTrigger))


def _clear_handler_caches() -> None:
    # Settings and clients are built once per execution environment; each test is a new one.
    api.dependencies.cache_clear()
    outbox.publisher.cache_clear()
    status.store.cache_clear()
    timeline.dependencies.cache_clear()
    api.timeline_reader.cache_clear()


@pytest.fixture
def orders(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProvisionedService]:
    provisioned = provision(WIRING)
    for name, value in provisioned.env.items():
        monkeypatch.setenv(name, value)
    seed(DynamoCatalogue(boto3.resource("dynamodb"), provisioned.tables["catalogue"]))
    _clear_handler_caches()
    yield provisioned
    _clear_handler_caches()


@dataclass
class Http:
    """The API as a signed-in customer's client sees it: status, headers and JSON body of each
    response. ``claims`` are the id token's, as API Gateway's authorizer hands them over."""

    claims: dict[str, str] | None = field(default_factory=lambda: ADA)

    def as_customer(self, claims: dict[str, str] | None) -> Http:
        return Http(claims)

    def post(self, body: Any, *, idempotency_key: str | None = None) -> HttpResponse:
        headers = {"idempotency-key": idempotency_key} if idempotency_key is not None else {}
        return self.send("POST", "/orders", body, headers)

    def get(self, order_id: str) -> HttpResponse:
        return self.send("GET", f"/orders/{order_id}")

    def list(self, **query: str | int) -> HttpResponse:
        return self.send("GET", "/orders", query=urlencode(query))

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        query: str = "",
    ) -> HttpResponse:
        """``body`` is JSON-encoded unless it is already a string (to send malformed JSON)."""
        raw = "" if body is None else body if isinstance(body, str) else json.dumps(body)
        request = HttpRequest(
            method,
            path,
            query,
            headers={"content-type": "application/json", **(headers or {})},
            body=raw.encode("utf-8"),
        )
        # API Gateway forwards only declared routes; an undeclared one still reaches the code.
        route, parameters = match_route(ROUTES, method, path) or (HttpRoute(method, path), {})
        event = http_api_event(request, route, parameters)
        if self.claims is not None:
            event["requestContext"]["authorizer"] = authorizer_context(self.claims)
        return self.call(event)

    @staticmethod
    def call(event: dict[str, Any]) -> HttpResponse:
        raw = api.lambda_handler(event, cast(LambdaContext, FakeLambdaContext("orders-api")))
        return HttpResponse(
            status=int(raw["statusCode"]),
            headers=raw.get("headers", {}),
            body=json.loads(raw["body"]) if raw.get("body") else None,
        )


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: Any


@pytest.fixture
def http(orders: ProvisionedService) -> Http:
    return Http()


@dataclass
class OrdersTable:
    """Direct reads of the orders table, to check what a request did or did not write."""

    name: str

    def items(self) -> list[dict[str, Any]]:
        table = boto3.resource("dynamodb").Table(self.name)
        return list(table.scan(ConsistentRead=True)["Items"])

    def item(self, order_id: str) -> dict[str, Any] | None:
        table = boto3.resource("dynamodb").Table(self.name)
        found = table.get_item(Key={"order_id": order_id}, ConsistentRead=True).get("Item")
        return None if found is None else dict(found)


@pytest.fixture
def orders_table(orders: ProvisionedService) -> OrdersTable:
    return OrdersTable(orders.tables["orders"])


@pytest.fixture
def idempotency_items(orders: ProvisionedService) -> Any:
    table = boto3.resource("dynamodb").Table(orders.tables["idempotency"])
    return lambda: table.scan(ConsistentRead=True)["Items"]


@pytest.fixture
def bus_tap(orders: ProvisionedService) -> BusTap:
    """Every event on the bus, through a rule and queue of the test's own."""
    return BusTap(boto3.client("events"), boto3.client("sqs"), orders.env["EVENT_BUS_NAME"], "tap")


@dataclass
class Triggers:
    """The declared triggers, emulated as Lambda's pollers run them (local.event_sources)."""

    stream: DynamoDbStreamEventSource
    status_queue: SqsEventSource

    def run_outbox(self) -> int:
        return drain([self.stream])

    def run_status(self) -> int:
        return drain([self.status_queue])


@pytest.fixture
def triggers(orders: ProvisionedService) -> Triggers:
    sqs = boto3.client("sqs")
    status_spec = WIRING.function("status")
    outbox_spec = WIRING.function("outbox")
    queue_url = orders.queue_urls["status-events"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return Triggers(
        stream=DynamoDbStreamEventSource(
            boto3.client("dynamodbstreams"),
            orders.table_streams["orders"],
            load_function(WIRING.name, outbox_spec),
        ),
        status_queue=SqsEventSource(
            sqs,
            queue_url,
            queue_arn["Attributes"]["QueueArn"],
            load_function(WIRING.name, status_spec),
            wait_seconds=0,
        ),
    )


def stream_records(orders: ProvisionedService) -> list[dict[str, Any]]:
    """Every record on the orders table's stream so far, shaped as Lambda delivers them."""
    streams = boto3.client("dynamodbstreams")
    arn = orders.table_streams["orders"]
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        page = streams.get_records(ShardIterator=iterator)
        for record in page["Records"]:
            dynamodb = dict(record["dynamodb"])
            dynamodb.pop("ApproximateCreationDateTime", None)
            records.append(
                {
                    "eventID": record["eventID"],
                    "eventName": record["eventName"],
                    "eventVersion": "1.1",
                    "eventSource": "aws:dynamodb",
                    "awsRegion": "us-east-1",
                    "dynamodb": dynamodb,
                    "eventSourceARN": arn,
                }
            )
    return records


@pytest.fixture
def catalogue(orders: ProvisionedService) -> DynamoCatalogue:
    """The orders service's catalogue on moto, seeded with the local sample."""
    return DynamoCatalogue(boto3.resource("dynamodb"), orders.tables["catalogue"])
