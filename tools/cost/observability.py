"""What observability the stack deploys, for the bill: tracing, log levels, metrics.

Read from infra's source as text (like the Lambda architecture), so ``shop cost`` never needs
the CDK installed and a change of level there changes the bill here. What the source does not
say is an assumption printed with the figures: bytes a function logs per invocation at INFO
(Lambda's START/END/REPORT lines, Powertools' structured lines, the EMF blob), bytes per
Step Functions log event without execution data, and X-Ray's default sampling rule (one
trace a second, then 5 %), since infra defines no sampling rule of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from local.paths import REPO_ROOT
from services.approvals.models import Decision
from services.notifications.domain.notify import Outcome as EmailOutcome
from services.notifications.handlers.delivery import METRIC_OF_STATUS
from services.notifications.models import EmailKind
from services.workflow.domain.relay import DecisionOutcome, TokenOutcome
from services.workflow.domain.starter import StartOutcome

INFRA_FUNCTIONS = REPO_ROOT / "infra" / "build" / "functions.py"
INFRA_STATE_MACHINE = REPO_ROOT / "infra" / "build" / "statemachine.py"
_SFN_LEVEL = re.compile(r"level\s*=\s*sfn\.LogLevel\.(\w+)")


def _metric_count() -> int:
    """The EMF metrics the handlers emit, each with its service dimension: one custom metric
    per name (see each handler's ``count`` calls)."""
    named = {
        "OrderPlaced",
        "OrderPlacedRepublished",
        "ApprovalRequested",
        "TokenMessageMalformed",
        "DecisionWithoutToken",
    }
    outcomes = len(TokenOutcome) + len(DecisionOutcome) + len(StartOutcome) + len(EmailOutcome)
    emails = 2 * len(EmailKind)  # <Kind>Sent, <Kind>Failed
    return len(named) + outcomes + len(Decision) + emails + len(METRIC_OF_STATUS)


@dataclass(frozen=True)
class Observability:
    lambda_tracing: bool = True
    state_machine_tracing: bool = True
    function_log_level: str = "INFO"  # Powertools' default; infra sets no POWERTOOLS_LOG_LEVEL
    state_machine_log_level: str = "ALL"
    function_log_bytes_per_invocation: int = 2000
    state_machine_log_event_bytes: int = 400
    custom_metrics: int = 0
    xray_reservoir_per_second: float = 1.0
    xray_fixed_rate: float = 0.05


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def deployed_observability() -> Observability:
    functions, machine = _read(INFRA_FUNCTIONS), _read(INFRA_STATE_MACHINE)
    level = _SFN_LEVEL.search(machine)
    return Observability(
        lambda_tracing="Tracing.ACTIVE" in functions,
        state_machine_tracing="tracing_enabled=True" in machine,
        state_machine_log_level=level.group(1) if level else "OFF",
        custom_metrics=_metric_count(),
    )


def sampled_share(requests_per_second: float, seen: Observability) -> float:
    """The share of traced requests X-Ray records under the default rule at this rate."""
    if requests_per_second <= 0:
        return 0.0
    over = max(0.0, requests_per_second - seen.xray_reservoir_per_second)
    recorded = (
        min(requests_per_second, seen.xray_reservoir_per_second) + over * seen.xray_fixed_rate
    )
    return recorded / requests_per_second
