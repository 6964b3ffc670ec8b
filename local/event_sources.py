"""Event source mappings, emulated: SQS queues and DynamoDB streams feeding local functions.

They behave as Lambda's pollers do, because the handlers depend on it:
- SQS: up to ``batch_size`` messages per invocation; a returned ``batchItemFailures`` list
  deletes every other message and leaves the failed ones to come back after the visibility
  timeout; a raised error leaves the whole batch. The queue's own redrive policy moves a
  message to its DLQ after ``maxReceiveCount`` receives (moto implements that part).
- DynamoDB streams: records in order per shard; only the event names the trigger's filter
  names reach the function; on a partial failure the shard restarts from the first failed
  record, after a growing pause; after ``max_retry_attempts`` failed tries of a batch it is
  skipped and logged (Lambda would send it to an on-failure destination), unless the
  trigger retries until the records expire (-1: for as long as the stack runs).
- Schedules: the function is invoked with a scheduled event every ``every_seconds``.

Delivery is pushed where moto lets it be: an SQS receive long-polls (moto wakes it when a
message is sent), a stream poller sleeps until moto appends a record to its table's stream
(``local.moto_patches.signals``) or its retry pause ends, and a schedule sleeps until its next
tick, so an idle stack does (almost) nothing.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from local.lambda_runtime import InvocationError, LocalFunction
from local.moto_patches.signals import STREAM_RECORDS

log = logging.getLogger("shop.local.esm")
BACKOFF_SECONDS = 0.05
MAX_BACKOFF_SECONDS = 5.0
# How long a pushed source sleeps at most without a wake-up: a safety net, not the pace.
IDLE_CEILING_SECONDS = 2.0
# How often a stream's shards are listed again (Lambda's poller also rediscovers them on a
# timer, not per batch; a moto table's stream keeps one shard for its life).
SHARD_REFRESH_SECONDS = 10.0


class EventSource(Protocol):
    name: str

    def poll_once(self) -> int:
        """Deliver at most one batch; returns how many records were delivered."""
        ...


class SqsEventSource:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        queue_arn: str,
        function: LocalFunction,
        *,
        batch_size: int = 10,
        wait_seconds: int = 1,
        region: str = "us-east-1",
    ) -> None:
        self.name = f"sqs:{queue_arn.rsplit(':', 1)[-1]}"
        self.long_polls = wait_seconds > 0  # the receive itself waits: no pause between polls
        self._sqs = sqs
        self._url = queue_url
        self._arn = queue_arn
        self._function = function
        self._batch_size = batch_size
        self._wait = wait_seconds
        self._region = region

    def poll_once(self) -> int:
        messages = self._sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=self._batch_size,
            WaitTimeSeconds=self._wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [self._record(m) for m in messages]}
        try:
            response = self._function.invoke(event, trigger=f"{self.name} x{len(messages)}")
        except InvocationError:
            return len(messages)  # all of them come back after the visibility timeout
        failed = _failed_ids(response)
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            self._sqs.delete_message_batch(
                QueueUrl=self._url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(done[start : start + 10])
                ],
            )
        return len(messages)

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self._arn,
            "awsRegion": self._region,
        }


class DynamoDbStreamEventSource:
    def __init__(
        self,
        streams: Any,
        stream_arn: str,
        function: LocalFunction,
        *,
        batch_size: int = 25,
        max_retry_attempts: int = 10,
        event_names: tuple[str, ...] = (),
        region: str = "us-east-1",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = f"stream:{stream_arn.split('/')[1]}"
        self._event_names = frozenset(event_names)
        self._clock = clock
        self._retry_at: dict[str, float] = {}
        self._streams = streams
        self._arn = stream_arn
        self._function = function
        self._batch_size = batch_size
        self._max_retries = max_retry_attempts
        self._region = region
        self._iterators: dict[str, str] = {}
        self._pending: dict[str, list[dict[str, Any]]] = {}
        self._attempts: dict[str, int] = {}
        self._shards_listed_at: float | None = None
        self.wakeup = threading.Event()  # set by moto when any table's stream gets a record
        STREAM_RECORDS.subscribe(self.wakeup)

    @property
    def idle_seconds(self) -> float:
        """How long to sleep when nothing was delivered: until a record arrives (the wake-up)
        or the earliest retry pause ends."""
        now = self._clock()
        return min(
            [at - now for at in self._retry_at.values() if at > now] + [IDLE_CEILING_SECONDS]
        )

    def close(self) -> None:
        STREAM_RECORDS.unsubscribe(self.wakeup)

    def poll_once(self) -> int:
        self._discover_shards()
        delivered = 0
        for shard_id in list(self._iterators):
            delivered += self._poll_shard(shard_id)
        return delivered

    def _discover_shards(self) -> None:
        now = self._clock()
        if (
            self._shards_listed_at is not None
            and now - self._shards_listed_at < SHARD_REFRESH_SECONDS
        ):
            return
        self._shards_listed_at = now
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if shard["ShardId"] not in self._iterators:
                self._iterators[shard["ShardId"]] = self._streams.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
                self._pending[shard["ShardId"]] = []

    def _poll_shard(self, shard_id: str) -> int:
        if self._clock() < self._retry_at.get(shard_id, 0.0):
            return 0  # backing off after a failure, as Lambda's poller does
        pending = self._pending[shard_id]
        if len(pending) < self._batch_size:
            page = self._streams.get_records(
                ShardIterator=self._iterators[shard_id], Limit=self._batch_size
            )
            self._iterators[shard_id] = page["NextShardIterator"]
            pending.extend(
                r
                for r in page["Records"]
                if not self._event_names or r["eventName"] in self._event_names
            )
        if not pending:
            return 0
        batch = pending[: self._batch_size]
        event = {"Records": [self._record(r) for r in batch]}
        try:
            response = self._function.invoke(event, trigger=f"{self.name} x{len(batch)}")
            failed = _failed_ids(response)
        except InvocationError:
            failed = {batch[0]["dynamodb"]["SequenceNumber"]}
        if not failed:
            del pending[: len(batch)]
            self._attempts.pop(shard_id, None)
            return len(batch)
        first_failed = next(
            i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failed
        )
        del pending[:first_failed]  # checkpoint before the first failure, retry from there
        attempts = self._attempts.get(shard_id, 0) + 1
        self._retry_at[shard_id] = self._clock() + min(
            MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** min(attempts, 10)
        )
        if 0 <= self._max_retries < attempts:
            log.error(
                "%s: giving up on %d record(s) after %d tries", self.name, len(batch), attempts
            )
            del pending[: len(batch) - first_failed]
            attempts = 0
        self._attempts[shard_id] = attempts
        return len(batch)

    def _record(self, record: dict[str, Any]) -> dict[str, Any]:
        dynamodb = dict(record["dynamodb"])
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):  # boto3 parsed it; Lambda sends epoch seconds
            dynamodb["ApproximateCreationDateTime"] = created.timestamp()
        return {
            "eventID": record["eventID"],
            "eventName": record["eventName"],
            "eventVersion": record.get("eventVersion", "1.1"),
            "eventSource": "aws:dynamodb",
            "awsRegion": self._region,
            "dynamodb": dynamodb,
            "eventSourceARN": self._arn,
        }


class ScheduleEventSource:
    """Invokes a function with EventBridge's "Scheduled Event" every ``every_seconds``."""

    def __init__(
        self,
        function: LocalFunction,
        every_seconds: float,
        *,
        region: str = "us-east-1",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = f"schedule:{function.qualified_name}"
        self._function = function
        self._every = every_seconds
        self._region = region
        self._clock = clock
        self._next = clock() + every_seconds

    @property
    def idle_seconds(self) -> float:
        return max(0.0, self._next - self._clock())

    def poll_once(self) -> int:
        if self._clock() < self._next:
            return 0
        self._next = self._clock() + self._every
        event = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": self._region,
            "resources": [f"arn:aws:events:{self._region}:123456789012:rule/local"],
            "detail": {},
        }
        # A failure is logged by the runtime; the next tick tries again, as a schedule does.
        with contextlib.suppress(InvocationError):
            self._function.invoke(event, trigger=self.name)
        return 1


def _failed_ids(response: Any) -> set[str]:
    if isinstance(response, dict):
        return {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
    return set()


class EventSourceRunner:
    """Runs each event source in its own thread until stopped.

    After a poll that delivered nothing a source is polled again at once if its poll waits by
    itself (``long_polls``), after its ``wakeup`` event or its ``idle_seconds`` if it has them,
    else after ``idle_seconds`` of the runner.
    """

    def __init__(self, sources: list[EventSource], *, idle_seconds: float = 0.1) -> None:
        self._sources = sources
        self._idle = idle_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def start(self) -> None:
        for source in self._sources:
            thread = threading.Thread(
                target=self._loop, args=(source,), name=source.name, daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _loop(self, source: EventSource) -> None:
        wakeup: threading.Event | None = getattr(source, "wakeup", None)
        long_polls = bool(getattr(source, "long_polls", False))
        while not self._stop.is_set():
            if wakeup is not None:
                wakeup.clear()  # before the poll: what arrives during it wakes the next one
            try:
                delivered = source.poll_once()
            except Exception as error:  # the poller must outlive a flaky endpoint
                if self._stop.is_set():
                    return
                log.exception("%s: polling failed", source.name)
                self.errors.append(error)
                self._stop.wait(self._idle)
                continue
            if delivered or long_polls:
                continue
            idle = float(getattr(source, "idle_seconds", self._idle))
            if wakeup is not None:
                wakeup.wait(idle)
            elif idle > 0:
                self._stop.wait(idle)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for source in self._sources:
            if (wakeup := getattr(source, "wakeup", None)) is not None:
                wakeup.set()
        for thread in self._threads:
            thread.join(timeout)
        for source in self._sources:
            if (close := getattr(source, "close", None)) is not None:
                close()


def drain(sources: list[EventSource], *, until: Callable[[], bool] | None = None) -> int:
    """Poll every source until a full round delivers nothing (or ``until`` holds)."""
    total = 0
    while True:
        delivered = sum(source.poll_once() for source in sources)
        total += delivered
        if not delivered or (until is not None and until()):
            return total
