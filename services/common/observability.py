"""Powertools Tracer and Metrics as every handler uses them.

Each handler module makes its own ``Tracer`` and ``Metrics`` for its service; Powertools reads
the metrics namespace from ``POWERTOOLS_METRICS_NAMESPACE``, which the wiring gives every
function (``services.common.wiring.METRICS_NAMESPACE``), so code and dashboards agree on it.
"""

from __future__ import annotations

import warnings

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

# An invocation that counts nothing (a GET, a duplicate) is normal, not worth a warning each.
warnings.filterwarnings("ignore", message="No application metrics to publish")


def count(metrics: Metrics, name: str) -> None:
    """One more of ``name`` (a business outcome: an order placed, an email sent)."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
