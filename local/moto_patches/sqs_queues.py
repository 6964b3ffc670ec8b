"""SQS's receive rebuilds every attribute of the queue, several times, for each message.

``SQSBackend.receive_message`` checks each message it hands out against the queue's retention
period through ``is_message_valid_based_on_retention_period``, which asks
``get_queue_attributes(queue, ["MessageRetentionPeriod"])``; that builds ``Queue.attributes``
three times, and each build converts 14 attribute names with ``camelcase_to_underscores``
and counts the queue's messages three times, reading the clock twice per message through
moto's ``unix_time`` (two datetimes built per read). Under load a queue holds tens of
messages and a receive cost milliseconds per message: the receive path was about 40 % of the
bench's CPU. Three changes, each giving the answers moto gave:
- the retention check reads the one attribute it needs from the queue (``Queue.attributes``
  reads it with the same ``getattr``);
- SQS's clock reads (``unix_time`` / ``unix_time_millis`` without an argument) take
  ``time.time()``, the clock ``datetime.now`` reads, without building datetimes;
- ``camelcase_to_underscores`` keeps its answers (a pure function of a constant name).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import moto.core.utils
import moto.sqs.models as sqs_models
from moto.sqs.models import Queue, SQSBackend

from local.moto_patches.actions import camelcase_to_underscores
from local.moto_patches.errors import (
    MotoPatchError,
    Replacement,
    already_replaced,
    replace_imported,
    require_source,
)

_RETENTION = "MessageRetentionPeriod"
_ORIGINAL_CHECK: Callable[..., bool] = SQSBackend.__dict__[
    "is_message_valid_based_on_retention_period"
]
_ORIGINAL_UNIX_TIME = moto.core.utils.unix_time
_ORIGINAL_UNIX_TIME_MILLIS = moto.core.utils.unix_time_millis
_ORIGINAL_CAMELCASE = moto.core.utils.camelcase_to_underscores


@functools.wraps(_ORIGINAL_CHECK)
def is_message_valid_based_on_retention_period(self: Any, queue_name: str, message: Any) -> bool:
    queue = self.get_queue(queue_name)
    retention_period = getattr(queue, camelcase_to_underscores(_RETENTION))
    retain_until = retention_period + message.sent_timestamp / 1000
    return bool(retain_until > time.time())


def unix_time(dt: datetime | None = None) -> float:
    return time.time() if dt is None else _ORIGINAL_UNIX_TIME(dt)


def unix_time_millis(dt: datetime | None = None) -> float:
    return time.time() * 1000.0 if dt is None else _ORIGINAL_UNIX_TIME_MILLIS(dt)


_NAMES: tuple[Replacement, ...] = (
    ("unix_time", _ORIGINAL_UNIX_TIME, unix_time),
    ("unix_time_millis", _ORIGINAL_UNIX_TIME_MILLIS, unix_time_millis),
    ("camelcase_to_underscores", _ORIGINAL_CAMELCASE, camelcase_to_underscores),
)


def apply() -> None:
    check = is_message_valid_based_on_retention_period
    if already_replaced(SQSBackend, check.__name__, _ORIGINAL_CHECK, check):
        return
    require_source(_ORIGINAL_CHECK, "get_queue_attributes(", _RETENTION, "unix_time()")
    require_source(SQSBackend.receive_message, "is_message_valid_based_on_retention_period(")
    require_source(Queue.attributes.fget, "camelcase_to_underscores(attribute)")  # type: ignore[attr-defined]
    if _RETENTION not in Queue.BASE_ATTRIBUTES:
        raise MotoPatchError(f"Queue.BASE_ATTRIBUTES no longer lists {_RETENTION}")
    # The clock: the original reads ``utcnow()`` against the epoch, i.e. ``time.time()``.
    require_source(_ORIGINAL_UNIX_TIME, "utcnow()", "utcfromtimestamp(0)")
    require_source(_ORIGINAL_UNIX_TIME_MILLIS, "unix_time(dt) * 1000")
    replace_imported(sqs_models, _NAMES)
    SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
        is_message_valid_based_on_retention_period
    )
