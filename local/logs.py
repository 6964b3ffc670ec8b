"""Logging for the local stack: one readable line per handler invocation, or JSON when asked."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
            }
        )


def configure(*, json_logs: bool = False, verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s  %(message)s", "%H:%M:%S"))
    shop = logging.getLogger("shop")
    shop.handlers[:] = [handler]
    shop.setLevel(logging.DEBUG if verbose else logging.INFO)
    shop.propagate = False
    # The handlers' own Powertools logs are JSON lines for CloudWatch; locally they would
    # drown the one-line-per-invocation view unless asked for.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "DEBUG" if verbose else "WARNING")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Shop")
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
