"""EventBridge Scheduler's one-time schedules, fired: moto stores schedules but never runs them.

The stack's schedule groups (from the wiring) are watched by one thread that sleeps until the
next schedule falls due. It learns of a new schedule the moment a handler creates one (a hook
on boto3's default session, where every handler's clients come from) and looks through the
groups on start and every ``rescan_seconds`` for schedules made by other clients (the aws
CLI), so nothing busy-polls. When a schedule is due it does what Scheduler does: sends the
target's ``Input`` to the target (an SQS queue: the input is the message body); if that
fails, the input goes to the target's dead-letter queue when it names one; a schedule with
``ActionAfterCompletion: DELETE`` is then deleted.

Only ``at(...)`` (one-time) expressions fire; a ``rate``/``cron`` schedule is logged once and
left alone. Scheduler's own resolution is a minute at best; here a schedule fires within a
few milliseconds of its second.
"""

from __future__ import annotations

import heapq
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
from botocore.exceptions import ClientError

log = logging.getLogger("shop.local.schedules")

_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_PARAMS = "shop_local_schedule_request"


def due_at(expression: str, timezone: str | None) -> float | None:
    """Unix time of a one-time ``at(...)`` expression; None for any other expression."""
    match = _AT.match(expression)
    if match is None:
        return None
    moment = datetime.fromisoformat(match.group(1)).replace(tzinfo=ZoneInfo(timezone or "UTC"))
    return moment.timestamp()


@dataclass(frozen=True)
class Delivery:
    """What one firing sent: the schedule, the target ARN and the input (message body)."""

    group: str
    name: str
    target_arn: str
    input: str


class ScheduleFirer:
    def __init__(self, groups: Iterable[str], region: str, *, rescan_seconds: float = 30.0) -> None:
        self._groups = frozenset(groups)
        self._region = region
        # A session of its own: faults injected into the handlers' clients do not touch it.
        session = boto3.session.Session(region_name=region)
        self._scheduler = session.client("scheduler")
        self._sqs = session.client("sqs")
        self._rescan = rescan_seconds
        self._due: list[tuple[float, str, str]] = []
        self._queued: set[tuple[str, str]] = set()
        self._ignored: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._session: boto3.session.Session | None = None
        self._id = f"schedules-{id(self)}"
        self.delivered: list[Delivery] = []

    # --- learning of schedules ------------------------------------------------------------

    def install(self, session: boto3.session.Session) -> None:
        """Hear of every schedule a client of ``session`` creates, as it is created."""
        session.events.register(
            "before-parameter-build.scheduler.CreateSchedule",
            self._remember,
            unique_id=f"{self._id}-p",
        )
        session.events.register(
            "after-call.scheduler.CreateSchedule", self._created, unique_id=f"{self._id}-c"
        )
        self._session = session

    def uninstall(self) -> None:
        if self._session is not None:
            self._session.events.unregister(
                "before-parameter-build.scheduler.CreateSchedule", unique_id=f"{self._id}-p"
            )
            self._session.events.unregister(
                "after-call.scheduler.CreateSchedule", unique_id=f"{self._id}-c"
            )
            self._session = None

    def _remember(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS] = dict(params)

    def _created(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        request = context.get(_PARAMS)
        if request is None or http_response.status_code >= 300:
            return
        self.add(
            request.get("GroupName") or "default",
            request["Name"],
            request["ScheduleExpression"],
            request.get("ScheduleExpressionTimezone"),
        )

    def add(self, group: str, name: str, expression: str, timezone: str | None) -> None:
        if group not in self._groups:
            return
        at = due_at(expression, timezone)
        with self._lock:
            if (group, name) in self._queued:
                return
            if at is None:
                if (group, name) not in self._ignored:
                    self._ignored.add((group, name))
                    log.warning("%s/%s: only at(...) schedules fire locally", group, name)
                return
            heapq.heappush(self._due, (at, group, name))
            self._queued.add((group, name))
        self._wake.set()

    def rescan(self) -> None:
        """Queue every schedule of the groups not known yet."""
        for group in self._groups:
            paginator = self._scheduler.get_paginator("list_schedules")
            for page in paginator.paginate(GroupName=group):
                for summary in page["Schedules"]:
                    if (group, summary["Name"]) in self._queued:
                        continue
                    schedule = self._get(group, summary["Name"])
                    if schedule is not None:
                        self.add(
                            group,
                            schedule["Name"],
                            schedule["ScheduleExpression"],
                            schedule.get("ScheduleExpressionTimezone"),
                        )

    # --- firing -----------------------------------------------------------------------------

    def start(self) -> None:
        self.rescan()
        self._thread = threading.Thread(target=self._loop, name="schedules", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        next_rescan = time.monotonic() + self._rescan
        while not self._stop.is_set():
            for group, name in self._take_due(time.time()):
                try:
                    self.fire(group, name)
                except Exception:  # the timer thread must outlive a flaky endpoint
                    if self._stop.is_set():
                        return
                    log.exception("%s/%s: firing failed", group, name)
            if time.monotonic() >= next_rescan:
                try:
                    self.rescan()
                except Exception:
                    log.exception("looking for schedules failed")
                next_rescan = time.monotonic() + self._rescan
            with self._lock:
                until_due = self._due[0][0] - time.time() if self._due else self._rescan
            self._wake.wait(max(0.0, min(until_due, next_rescan - time.monotonic())))
            self._wake.clear()

    def _take_due(self, now: float) -> list[tuple[str, str]]:
        taken = []
        with self._lock:
            while self._due and self._due[0][0] <= now:
                _, group, name = heapq.heappop(self._due)
                self._queued.discard((group, name))
                taken.append((group, name))
        return taken

    def fire(self, group: str, name: str) -> None:
        """Deliver a due schedule's input to its target, as Scheduler would, once."""
        schedule = self._get(group, name)
        if schedule is None or schedule.get("State", "ENABLED") != "ENABLED":
            return  # deleted (a decision stopped it) or disabled in the meantime
        target = schedule["Target"]
        body = target.get("Input") or "{}"
        try:
            self._send(target["Arn"], body)
            self.delivered.append(Delivery(group, name, target["Arn"], body))
        except (ClientError, ValueError):
            dead_letter = target.get("DeadLetterConfig", {}).get("Arn")
            log.exception("%s/%s: target refused the input", group, name)
            if dead_letter:
                self._send(dead_letter, body)
        if schedule.get("ActionAfterCompletion") == "DELETE":
            try:
                self._scheduler.delete_schedule(Name=name, GroupName=group)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                    raise

    def _send(self, arn: str, body: str) -> None:
        parts = arn.split(":")
        if len(parts) != 6 or parts[2] != "sqs":
            raise ValueError(f"only SQS targets are delivered locally, not {arn}")
        url = self._sqs.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])
        self._sqs.send_message(QueueUrl=url["QueueUrl"], MessageBody=body)

    def _get(self, group: str, name: str) -> dict[str, Any] | None:
        try:
            return dict(self._scheduler.get_schedule(Name=name, GroupName=group))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise
