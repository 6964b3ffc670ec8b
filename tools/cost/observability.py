"""What observability the stack deploys, for the bill: tracing, log levels, metrics.

Read from infra's source as text (like the Lambda architecture), so ``shop cost`` never needs
the CDK installed and a change of level there changes the bill here. What the source does not
say is an assumption printed with the figures: bytes a function logs per invocation at INFO
(Lambda's START/END/REPORT lines, Powertools' structured lines, the EMF blob), bytes per
Step Functions log event without execution data, X-Ray's default sampling rule (one
trace a second, then 5 %), since infra defines no sampling rule of its own, and the share of
hours a metric only faults emit is sent in (CloudWatch bills custom metrics by the hour).
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


def _metrics() -> tuple[set[str], set[str]]:
    """The EMF metrics the handlers emit (each ``count`` call; every one has its service
    dimension, so each name per service is one custom metric): those every hour of a steady
    month emits (an order's journey emits them), and those only a fault, a duplicate or a
    rare choice emits. CloudWatch bills a custom metric by the hour for the hours it is sent."""
    steady = {
        "orders:OrderPlaced",
        "approvals:ApprovalRequested",
        f"workflow:{TokenOutcome.ANNOUNCED}",
        f"workflow:{DecisionOutcome.RELAYED}",
        f"workflow:{StartOutcome.STARTED}",
        f"notifications:{EmailOutcome.SENT}",
        *(f"approvals:Decided{d.value.title()}" for d in Decision),
        *(f"notifications:{kind.value.title().replace('_', '')}Sent" for kind in EmailKind),
        f"notifications:{METRIC_OF_STATUS['sent']}",
        f"notifications:{METRIC_OF_STATUS['delivered']}",
    }
    every = {
        "orders:OrderPlacedRepublished",
        "workflow:TokenMessageMalformed",
        "workflow:DecisionWithoutToken",
        *(f"workflow:{o}" for o in (*TokenOutcome, *DecisionOutcome, *StartOutcome)),
        *(f"notifications:{o}" for o in EmailOutcome),
        *(f"notifications:{kind.value.title().replace('_', '')}Failed" for kind in EmailKind),
        *(f"notifications:{m}" for m in METRIC_OF_STATUS.values()),
    } | steady
    return steady, every - steady


@dataclass(frozen=True)
class Observability:
    lambda_tracing: bool = True
    state_machine_tracing: bool = True
    function_log_level: str = "INFO"  # Powertools' default; infra sets no POWERTOOLS_LOG_LEVEL
    state_machine_log_level: str = "ALL"
    function_log_bytes_per_invocation: int = 2000
    state_machine_log_event_bytes: int = 400
    custom_metrics: int = 0  # emitted every hour
    rare_metrics: int = 0  # emitted only by faults, duplicates, opt-outs
    rare_metric_hour_share: float = 0.1  # the hours a rare metric is sent in (assumed)
    xray_reservoir_per_second: float = 1.0
    xray_fixed_rate: float = 0.05


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def deployed_observability() -> Observability:
    functions, machine = _read(INFRA_FUNCTIONS), _read(INFRA_STATE_MACHINE)
    steady, rare = _metrics()
    level = _SFN_LEVEL.search(machine)
    return Observability(
        lambda_tracing="Tracing.ACTIVE" in functions,
        state_machine_tracing="tracing_enabled=True" in machine,
        state_machine_log_level=level.group(1) if level else "OFF",
        custom_metrics=len(steady),
        rare_metrics=len(rare),
    )


def billed_metrics(seen: Observability) -> float:
    """Custom metric-months: steady metrics every hour, rare ones the hours they occur in."""
    return seen.custom_metrics + seen.rare_metrics * seen.rare_metric_hour_share


def sampled_share(requests_per_second: float, seen: Observability) -> float:
    """The share of traced requests X-Ray records under the default rule at this rate."""
    if requests_per_second <= 0:
        return 0.0
    over = max(0.0, requests_per_second - seen.xray_reservoir_per_second)
    recorded = (
        min(requests_per_second, seen.xray_reservoir_per_second) + over * seen.xray_fixed_rate
    )
    return recorded / requests_per_second
