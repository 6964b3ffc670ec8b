"""Turns the orders settings into the adapters its event functions need.

Each builder reads only the settings its function has (see ``settings.py``) and makes the
clients; the handler caches the result, so it happens once per execution environment, on first
use (importing a handler stays cheap, and reloading one, as the local stack does for a new
stack, rebuilds it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import boto3

from events.models import utc_now
from events.publisher import EventBridgePublisher, EventPublisher
from services.common.settings import ServiceSettings
from services.orders.adapters.cancellations import DynamoCancellations
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.adapters.dynamodb import DynamoOrdersStore
from services.orders.adapters.idempotency import IdempotentPlacement
from services.orders.adapters.timeline import DynamoTimelineStore
from services.orders.domain.cancelling import CancelDependencies
from services.orders.domain.ports import Cancellations, Catalogue, OrdersStore, TimelineStore
from services.orders.settings import (
    OrdersSettings,
    OrdersTableSettings,
    SweeperSettings,
    TimelineRecorderSettings,
    TimelineSettings,
)


def publisher() -> EventPublisher:
    settings = ServiceSettings.from_env()  # the outbox needs nothing but the bus
    return EventBridgePublisher(boto3.client("events"), settings.event_bus_name)


def store() -> OrdersStore:
    settings = OrdersTableSettings.from_env()
    return DynamoOrdersStore(boto3.resource("dynamodb").Table(settings.orders_table_name))


@dataclass(frozen=True)
class SweeperDependencies:
    store: OrdersStore
    publisher: EventPublisher
    stuck_after: timedelta


def sweeper() -> SweeperDependencies:
    settings = SweeperSettings.from_env()
    return SweeperDependencies(
        store=DynamoOrdersStore(boto3.resource("dynamodb").Table(settings.orders_table_name)),
        publisher=EventBridgePublisher(boto3.client("events"), settings.event_bus_name),
        stuck_after=timedelta(seconds=settings.orders_stuck_after_seconds),
    )


@dataclass(frozen=True)
class ApiDependencies:
    store: OrdersStore
    catalogue: Catalogue
    place_once: IdempotentPlacement  # the placement behind the client's Idempotency-Key
    cancelling: CancelDependencies


def api() -> ApiDependencies:
    settings = OrdersSettings.from_env()
    dynamodb = boto3.resource("dynamodb")
    orders = dynamodb.Table(settings.orders_table_name)
    store = DynamoOrdersStore(orders)
    return ApiDependencies(
        store=store,
        catalogue=DynamoCatalogue(dynamodb, settings.orders_catalogue_table_name),
        place_once=IdempotentPlacement(table_name=settings.orders_idempotency_table_name),
        cancelling=CancelDependencies(
            orders=store,
            cancellations=DynamoCancellations(orders),
            clock=utc_now,
            sleep=time.sleep,
            wait=timedelta(seconds=settings.orders_cancel_wait_seconds),
        ),
    )


@dataclass(frozen=True)
class TimelineRecorder:
    timeline: TimelineStore
    orders: OrdersStore  # whose order it is, read when it is placed
    retention: timedelta  # how long a cancelled order's timeline is kept


def timeline_recorder() -> TimelineRecorder:
    settings = TimelineRecorderSettings.from_env()
    dynamodb = boto3.resource("dynamodb")
    return TimelineRecorder(
        timeline=DynamoTimelineStore(dynamodb.Table(settings.orders_timeline_table_name)),
        orders=DynamoOrdersStore(dynamodb.Table(settings.orders_table_name)),
        retention=timedelta(days=settings.orders_timeline_retention_days),
    )


@dataclass(frozen=True)
class TimelineReader:
    timeline: TimelineStore
    retention_days: int


def timeline_reader() -> TimelineReader:
    settings = TimelineSettings.from_env()
    return TimelineReader(
        timeline=DynamoTimelineStore(
            boto3.resource("dynamodb").Table(settings.orders_timeline_table_name)
        ),
        retention_days=settings.orders_timeline_retention_days,
    )


def cancellations() -> Cancellations:
    settings = OrdersTableSettings.from_env()
    return DynamoCancellations(boto3.resource("dynamodb").Table(settings.orders_table_name))
