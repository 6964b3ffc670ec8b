"""Dead-letter queues of a running local stack: what failed, and sending it back.

Every service queue has a DLQ named ``<prefix>-<service>-<queue>-dlq`` (``local.provision``).
``list`` peeks at each message without consuming it and shows only what an operator needs
to find the order: the event's detail-type and the order id. Bodies are never printed: they
hold customer names and email addresses (and, on the workflow's token queue, task tokens).
``redrive`` moves the messages back to their source queue, where the consumer gets them
again. moto 5.2.5 has no ``StartMessageMoveTask``, so the move is receive, send, delete:
a crash between send and delete leaves a message in both queues, which is at-least-once
delivery again, and every consumer is idempotent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from local.loopback import local_client
from local.queues import queue_depth
from local.settings import DEFAULT_MOTO_URL, DEFAULT_REGION, LocalStackSettings
from local.stack_options import add_stack_options

DLQ_SUFFIX = "-dlq"
# While we look, messages stay hidden from other readers; they are released right after.
PEEK_VISIBILITY_SECONDS = 30
# Only values of this shape are shown: an order id, never an address or free text.
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
_SAFE_DETAIL_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,63}$")
UNREADABLE = "(unreadable)"


@dataclass(frozen=True)
class MessageSummary:
    """What may be shown about a dead letter."""

    detail_type: str
    order_id: str
    sent_at: datetime | None = None  # when it was first sent (SQS keeps it on the DLQ move)

    def line(self) -> str:
        since = f"  since {self.sent_at:%H:%M:%S} UTC" if self.sent_at else ""
        return f"{self.detail_type:<20} order {self.order_id}{since}"


@dataclass(frozen=True)
class DeadLetterQueue:
    name: str  # physical queue name
    url: str
    label: str  # "<service>/<queue>", for people


@dataclass
class QueueListing:
    queue: DeadLetterQueue
    count: int
    messages: list[MessageSummary] = field(default_factory=list)


@dataclass(frozen=True)
class RedriveResult:
    queue: DeadLetterQueue
    source_url: str
    moved: int


def client(endpoint_url: str = DEFAULT_MOTO_URL, region: str = DEFAULT_REGION) -> Any:
    """An SQS client for the local stack's moto endpoint (loopback only)."""
    return local_client("sqs", endpoint_url, command="dlq", region=region)


def label(queue_name: str, prefix: str) -> str:
    """``shop-local-notifications-customer-events-dlq`` -> ``notifications/customer-events``."""
    rest = queue_name.removeprefix(f"{prefix}-").removesuffix(DLQ_SUFFIX)
    service, _, queue = rest.partition("-")
    return f"{service}/{queue}" if queue else rest


def find(sqs: Any, prefix: str) -> list[DeadLetterQueue]:
    """Every DLQ of the stack with ``prefix``, sorted by label."""
    urls: list[str] = []
    for page in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=f"{prefix}-"):
        urls.extend(page.get("QueueUrls", []))
    queues = []
    for url in urls:
        name = url.rstrip("/").rsplit("/", 1)[-1]
        if name.endswith(DLQ_SUFFIX):
            queues.append(DeadLetterQueue(name=name, url=url, label=label(name, prefix)))
    return sorted(queues, key=lambda q: q.label)


def count(sqs: Any, queue: DeadLetterQueue) -> int:
    return queue_depth(sqs, queue.url)


def counts(sqs: Any, prefix: str) -> dict[str, int]:
    """Messages held by each DLQ, by label (empty queues included)."""
    return {queue.label: count(sqs, queue) for queue in find(sqs, prefix)}


def summarize(body: str, sent_at: datetime | None = None) -> MessageSummary:
    """The detail-type and order id of a dead letter's body, and nothing else from it.

    Bodies are EventBridge events (rule -> queue) or the state machine's token requests.
    Anything that does not look like an id is shown as unreadable rather than echoed.
    """
    try:
        parsed = json.loads(body)
    except ValueError:
        return MessageSummary("(not JSON)", UNREADABLE, sent_at)
    if not isinstance(parsed, dict):
        return MessageSummary("(not an object)", UNREADABLE, sent_at)
    if "detail-type" in parsed:
        detail_type = _safe(parsed.get("detail-type"), _SAFE_DETAIL_TYPE)
        detail = parsed.get("detail")
        order_id = UNREADABLE
        if isinstance(detail, dict):
            metadata, data = detail.get("metadata"), detail.get("data")
            candidates = [
                data.get("order_id") if isinstance(data, dict) else None,
                metadata.get("correlation_id") if isinstance(metadata, dict) else None,
            ]
            order_id = next(
                (safe for c in candidates if (safe := _safe(c, _SAFE_ID)) != UNREADABLE),
                UNREADABLE,
            )
        return MessageSummary(detail_type, order_id, sent_at)
    if "task_token" in parsed:
        order_id = _safe(parsed.get("order_id"), _SAFE_ID)
        return MessageSummary("(token request)", order_id, sent_at)
    return MessageSummary("(unknown shape)", UNREADABLE, sent_at)


def _safe(value: object, shape: re.Pattern[str]) -> str:
    return value if isinstance(value, str) and shape.match(value) else UNREADABLE


def _receive(sqs: Any, url: str, visibility: int) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = sqs.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=10,
        WaitTimeSeconds=0,
        VisibilityTimeout=visibility,
        AttributeNames=["SentTimestamp"],
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    return messages


def _batches(items: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), 10):
        yield items[start : start + 10]


def peek(sqs: Any, queue: DeadLetterQueue) -> list[MessageSummary]:
    """Summaries of every message in ``queue``, which keeps them all."""
    held: list[dict[str, Any]] = []
    try:
        while batch := _receive(sqs, queue.url, PEEK_VISIBILITY_SECONDS):
            held.extend(batch)
    finally:
        for batch in _batches(held):
            sqs.change_message_visibility_batch(
                QueueUrl=queue.url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(batch)
                ],
            )
    return [summarize(m["Body"], _sent_at(m)) for m in held]


def _sent_at(message: dict[str, Any]) -> datetime | None:
    millis = message.get("Attributes", {}).get("SentTimestamp")
    return datetime.fromtimestamp(int(millis) / 1000, UTC) if millis else None


def listing(sqs: Any, prefix: str) -> list[QueueListing]:
    """Every DLQ with its count; the messages of the non-empty ones, summarized."""
    result = []
    for queue in find(sqs, prefix):
        held = count(sqs, queue)
        result.append(QueueListing(queue, held, peek(sqs, queue) if held else []))
    return result


def source_url(sqs: Any, queue: DeadLetterQueue) -> str:
    """The queue whose redrive policy points at ``queue``; by name if SQS cannot tell."""
    sources: list[str] = sqs.list_dead_letter_source_queues(QueueUrl=queue.url).get("queueUrls", [])
    if len(sources) == 1:
        return sources[0]
    name = queue.name.removesuffix(DLQ_SUFFIX)
    return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])


def redrive_queue(sqs: Any, queue: DeadLetterQueue) -> RedriveResult:
    """Move every message of ``queue`` back to its source queue."""
    target = source_url(sqs, queue)
    moved = 0
    while batch := _receive(sqs, queue.url, PEEK_VISIBILITY_SECONDS):
        entries = []
        for i, message in enumerate(batch):
            entry: dict[str, Any] = {"Id": str(i), "MessageBody": message["Body"]}
            if message.get("MessageAttributes"):
                entry["MessageAttributes"] = message["MessageAttributes"]
            entries.append(entry)
        sent = sqs.send_message_batch(QueueUrl=target, Entries=entries)
        sent_ids = {s["Id"] for s in sent.get("Successful", [])}
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(batch)
            if str(i) in sent_ids
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=queue.url, Entries=done)
        moved += len(done)
        if len(done) < len(batch):
            break  # what could not be sent stays in the DLQ and shows up in the next list
    return RedriveResult(queue, target, moved)


def redrive(sqs: Any, prefix: str) -> list[RedriveResult]:
    """Redrive every non-empty DLQ of the stack."""
    return [redrive_queue(sqs, q) for q in find(sqs, prefix) if count(sqs, q)]


# --- what ``shop dlq`` prints -----------------------------------------------------------


def print_listing(listings: list[QueueListing], out: Callable[[str], None]) -> int:
    total = 0
    for entry in listings:
        total += entry.count
        out(f"{entry.queue.label:<36} {entry.count:>5} message(s)")
        for summary in entry.messages:
            out(f"    {summary.line()}")
    out(f"{'total':<36} {total:>5}")
    return total


def print_redrive(results: list[RedriveResult], out: Callable[[str], None]) -> int:
    if not results:
        out("every DLQ is empty: nothing to redrive")
    moved = 0
    for result in results:
        moved += result.moved
        target = result.source_url.rstrip("/").rsplit("/", 1)[-1]
        out(f"{result.queue.label:<36} moved {result.moved:>4} message(s) back to {target}")
    return moved


# --- ``shop dlq`` -------------------------------------------------------------------------


def add_parser(commands: Any, settings: LocalStackSettings) -> None:
    """Register ``shop dlq list|redrive`` on the ``shop`` command line's subparsers."""
    dlq = commands.add_parser("dlq", help="dead letters of a running stack: list or redrive")
    actions = dlq.add_subparsers(dest="dlq_command", required=True)
    listing = actions.add_parser("list", help="messages per DLQ: detail-type and order id")
    redrive = actions.add_parser("redrive", help="move every dead letter back to its queue")
    for sub in (listing, redrive):
        add_stack_options(sub, settings)


def command(args: argparse.Namespace) -> int:
    from botocore.exceptions import EndpointConnectionError  # noqa: PLC0415

    try:
        sqs = client(args.moto_url)
        if args.dlq_command == "list":
            print_listing(listing(sqs, args.prefix), print)
        else:
            print_redrive(redrive(sqs, args.prefix), print)
    except ValueError as error:
        print(f"shop dlq: {error}", file=sys.stderr)
        return 2
    except EndpointConnectionError:
        print(f"shop dlq: no local stack answered at {args.moto_url}", file=sys.stderr)
        return 1
    return 0
