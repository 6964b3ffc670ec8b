"""Lambda itself, emulated: loads a handler by its dotted path and invokes it with a context.

This is the one piece of AWS the local stack does not get from moto. Each invocation logs one
line (function, trigger, outcome, duration) so a terminal shows what the system is doing.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Metrics

from services.common.wiring import Function

log = logging.getLogger("shop.local.lambda")
Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LocalContext:
    """The parts of ``LambdaContext`` handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    deadline_monotonic: float
    function_version: str = "$LATEST"
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline_monotonic - time.monotonic()) * 1000))


class InvocationError(RuntimeError):
    """The handler raised: what AWS reports as a function error."""


# A hook the fault injector (``shop bench``) sets: called before every invocation and may raise.
BeforeInvoke = Callable[["LocalFunction", dict[str, Any]], None]


@dataclass
class LocalFunction:
    service: str
    spec: Function
    handler: Handler
    before_invoke: BeforeInvoke | None = None
    invocations: int = 0  # how often it was invoked (e.g. to check a trigger's filter)
    # One execution environment: Lambda never runs two invocations in one at the same time,
    # and handlers rely on it (Powertools' resolver and idempotency keep the current event
    # and context on module-level objects). Concurrent HTTP requests queue here instead.
    _busy: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def qualified_name(self) -> str:
        return f"{self.service}/{self.spec.name}"

    def invoke(self, event: dict[str, Any], *, trigger: str) -> Any:
        context = LocalContext(
            function_name=f"shop-{self.service}-{self.spec.name}",
            memory_limit_in_mb=self.spec.memory_mb,
            invoked_function_arn=(
                f"arn:aws:lambda:us-east-1:123456789012:function:shop-{self.service}-{self.spec.name}"
            ),
            aws_request_id=str(uuid.uuid4()),
            deadline_monotonic=time.monotonic() + self.spec.timeout_seconds,
        )
        started = time.perf_counter()
        try:
            with self._busy:
                self.invocations += 1
                if self.before_invoke is not None:
                    self.before_invoke(self, event)
                result = self.handler(event, context)
        except Exception as error:
            elapsed = (time.perf_counter() - started) * 1000
            log.warning(
                "%-26s %-22s error %s (%.0f ms)",
                self.qualified_name,
                trigger,
                type(error).__name__,
                elapsed,
            )
            raise InvocationError(
                f"{self.qualified_name} failed: {type(error).__name__}"
            ) from error
        finally:
            _discard_unpublished_metrics()
        elapsed = (time.perf_counter() - started) * 1000
        log.info(
            "%-26s %-22s %s (%.0f ms)", self.qualified_name, trigger, _outcome(result), elapsed
        )
        return result


def _discard_unpublished_metrics() -> None:
    # With POWERTOOLS_METRICS_DISABLED, Powertools never clears what handlers counted and
    # prints the raw set once it holds 100 values. Locally nothing is published, so drop it.
    if os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() == "true":
        Metrics().clear_metrics()


def _outcome(result: Any) -> str:
    if isinstance(result, dict):
        if "batchItemFailures" in result:
            failed = len(result["batchItemFailures"])
            return f"ok, {failed} failed" if failed else "ok"
        if "statusCode" in result:
            return f"HTTP {result['statusCode']}"
    return "ok"


def load_handler(dotted: str, *, fresh: bool = False) -> Handler:
    """Import ``package.module.callable``; ``fresh`` re-imports the module like a cold start,
    so handler-level caches (settings, clients) are rebuilt for a new stack."""
    module_name, _, attribute = dotted.rpartition(".")
    if fresh and module_name in sys.modules:
        module = importlib.reload(sys.modules[module_name])
    else:
        module = importlib.import_module(module_name)
    handler: Handler = getattr(module, attribute)
    return handler


def load_function(service: str, spec: Function, *, fresh: bool = False) -> LocalFunction:
    return LocalFunction(
        service=service, spec=spec, handler=load_handler(spec.handler, fresh=fresh)
    )
