"""Powertools Tracer and Metrics as every handler uses them.

Each handler module makes its own ``Tracer`` (:func:`service_tracer`) and ``Metrics`` for its
service; Powertools reads the metrics namespace from ``POWERTOOLS_METRICS_NAMESPACE``, which the
wiring gives every function (``services.common.wiring.METRICS_NAMESPACE``), so code and
dashboards agree on it.

The X-Ray SDK is loaded when an invocation is sampled, not at import. Lambda decides the
sampling before our code runs and tells it in ``_X_AMZN_TRACE_ID`` (``Sampled=1``); an
unsampled invocation records nothing whatever the SDK does, and botocore itself forwards that
header on every AWS call made in Lambda, so the decision still reaches the services downstream.
Importing the SDK and patching botocore (the only library we call out with) costs a cold
start about 30 ms of CPU that an unsampled environment never needs; a sampled invocation pays
it once, then records the same subsegments (handler, every AWS call) as Powertools' default.
"""

from __future__ import annotations

import numbers
import os
import warnings
from collections.abc import Generator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

if TYPE_CHECKING:
    import traceback

# An invocation that counts nothing (a GET, a duplicate) is normal, not worth a warning each.
warnings.filterwarnings("ignore", message="No application metrics to publish")

TRACE_HEADER_ENV_VAR = "_X_AMZN_TRACE_ID"  # Lambda's trace header for the current invocation
TRACED_LIBRARIES = ("botocore",)  # every call we make out goes through boto3/botocore


def sampled() -> bool:
    """Whether Lambda records a trace of the current invocation."""
    header = os.environ.get(TRACE_HEADER_ENV_VAR, "")
    return any(part.strip() == "Sampled=1" for part in header.split(";"))


class _Unrecorded(BaseSegment):
    """The subsegment of an invocation nobody records: everything put on it is dropped."""

    def close(self, end_time: int | None = None) -> None:
        return None

    def add_subsegment(self, subsegment: Any) -> None:
        return None

    def remove_subsegment(self, subsegment: Any) -> None:
        return None

    def put_annotation(self, key: str, value: str | numbers.Number | bool) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def add_exception(
        self,
        exception: BaseException,
        stack: list[traceback.StackSummary],
        remote: bool = False,
    ) -> None:
        return None


class SampledXRayProvider(BaseProvider):
    """Powertools' X-Ray provider, loaded on the first sampled invocation."""

    def __init__(self, libraries: Sequence[str] = TRACED_LIBRARIES) -> None:
        self._libraries = tuple(libraries)
        self._recorder: Any = None

    @property
    def loaded(self) -> bool:
        return self._recorder is not None

    def _xray(self) -> Any:
        if self._recorder is None:
            from aws_xray_sdk.core import (  # type: ignore[import-untyped]  # noqa: PLC0415
                patch,
                xray_recorder,
            )

            # Each subsegment sent as it closes, as Powertools configures its own provider.
            xray_recorder.configure(streaming_threshold=0)
            patch(self._libraries)
            self._recorder = xray_recorder
        return self._recorder

    @contextmanager
    def in_subsegment(self, name: Any = None, **kwargs: Any) -> Generator[BaseSegment, None, None]:
        if not sampled():
            yield _Unrecorded()
            return
        with self._xray().in_subsegment(name=name, **kwargs) as subsegment:
            yield subsegment

    def in_subsegment_async(
        self, name: Any = None, **kwargs: Any
    ) -> AbstractAsyncContextManager[BaseSegment]:
        raise NotImplementedError("no handler of ours is async")

    def put_annotation(self, key: str, value: str | numbers.Number | bool) -> None:
        if sampled():
            self._xray().put_annotation(key=key, value=value)

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        if sampled():
            self._xray().put_metadata(key=key, value=value, namespace=namespace)

    def patch(self, modules: Sequence[str]) -> None:
        self._libraries = tuple(dict.fromkeys((*self._libraries, *modules)))

    def patch_all(self) -> None:
        raise NotImplementedError("name the libraries to trace: patch(modules)")


_PROVIDER = SampledXRayProvider()


def service_tracer(service: str) -> Tracer:
    """The handler's Tracer: X-Ray subsegments for the handler and every AWS call, on sampled
    invocations, without loading the SDK at import."""
    return Tracer(service=service, provider=_PROVIDER, patch_modules=TRACED_LIBRARIES)


def count(metrics: Metrics, name: str) -> None:
    """One more of ``name`` (a business outcome: an order placed, an email sent)."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
