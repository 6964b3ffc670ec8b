"""What every service's integration tests share: the metrics its handlers emitted."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from aws_lambda_powertools import Metrics


@dataclass
class EmittedMetrics:
    """Counts from the CloudWatch EMF lines the handlers print."""

    capsys: pytest.CaptureFixture[str]
    counts: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, name: str) -> int:
        for line in self.capsys.readouterr().out.splitlines():
            document = _json(line)
            if not document or "_aws" not in document:
                continue
            for directive in document["_aws"]["CloudWatchMetrics"]:
                for metric in directive["Metrics"]:
                    value = document[metric["Name"]]
                    self.counts[metric["Name"]] += int(
                        sum(value) if isinstance(value, list) else value
                    )
        return self.counts[name]


def _json(line: str) -> dict[str, Any] | None:
    try:
        document = json.loads(line)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


@pytest.fixture
def metrics(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> EmittedMetrics:
    # Powertools keeps (never flushes) what earlier tests counted with metrics disabled.
    Metrics().clear_metrics()
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    return EmittedMetrics(capsys)
