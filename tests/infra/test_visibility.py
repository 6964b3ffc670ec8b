"""Queue visibility timeouts against their consumers' timeouts (no synthesis needed)."""

from __future__ import annotations

import pytest

from infra.build.messaging import VISIBILITY_PER_FUNCTION_TIMEOUT, visibility_timeout_seconds
from services.common.wiring import Function, Permissions, Queue, ServiceWiring, SqsTrigger

pytestmark = pytest.mark.infra


def _wiring(queue: Queue, *timeouts: int) -> ServiceWiring:
    return ServiceWiring(
        name="svc",
        queues=(queue,),
        functions=tuple(
            Function(
                name=f"fn{i}",
                handler="services.svc.handlers.fn.lambda_handler",
                trigger=SqsTrigger(queue=queue.name),
                permissions=Permissions(),
                description="reads the queue",
                timeout_seconds=timeout,
            )
            for i, timeout in enumerate(timeouts)
        ),
    )


def test_a_queue_waits_six_times_its_slowest_consumers_timeout() -> None:
    queue = Queue(name="q", visibility_timeout_seconds=60)

    assert visibility_timeout_seconds(_wiring(queue, 20, 5), queue) == 120
    assert VISIBILITY_PER_FUNCTION_TIMEOUT == 6


def test_a_longer_declared_timeout_is_kept() -> None:
    queue = Queue(name="q", visibility_timeout_seconds=900)

    assert visibility_timeout_seconds(_wiring(queue, 20), queue) == 900


def test_a_queue_nobody_reads_keeps_its_declared_timeout() -> None:
    queue = Queue(name="q", visibility_timeout_seconds=30)

    assert visibility_timeout_seconds(_wiring(queue), queue) == 30
