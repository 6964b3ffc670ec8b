"""Prices times usage: cost per order, per month and per million orders, for one design.

Per-order usage comes from ``usage`` for each outcome and is weighted by the order mix. Two
things do not scale with orders and are shown as fixed monthly lines: the signing-key secret
itself, and the empty receives Lambda's pollers make on each SQS event source around the clock.
Secrets Manager calls are capped by the key's cache: each warm environment fetches it at most
once per cache period, so they are worked out per month, then shared out per order.

Observability is priced as deployed (``observability.py`` reads infra): X-Ray traces at the
default sampling rule, CloudWatch Logs ingestion of the functions' and the state machine's
logs at their levels, and the EMF metrics as custom metrics (a fixed monthly line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from local.paths import REPO_ROOT
from services.approvals.adapters.signing_key import KEY_CACHE_SECONDS
from services.common.wiring import ServiceWiring, SqsTrigger
from tools.cost.asl_paths import OUTCOMES, Outcome
from tools.cost.durations import Durations
from tools.cost.observability import (
    Observability,
    billed_metrics,
    deployed_observability,
    sampled_share,
)
from tools.cost.prices import PriceList
from tools.cost.usage import Assumptions, Design, Usage, derive_usage, memory_mb

SECONDS_PER_MONTH = 30 * 24 * 3600
GB = 1024**3
INFRA_LAMBDA_CODE = REPO_ROOT / "infra" / "lambda_code.py"
_ARCHITECTURE = re.compile(r"^ARCHITECTURE\s*=\s*lambda_\.Architecture\.(\w+)", re.MULTILINE)


def deployed_architecture(path: Path = INFRA_LAMBDA_CODE) -> str:
    """What infra deploys (``ARCHITECTURE`` in infra/lambda_code.py), read as text so the cost
    command never needs the CDK installed; x86_64, Lambda's default, when it is not found."""
    try:
        matched = _ARCHITECTURE.search(path.read_text(encoding="utf-8"))
    except OSError:
        matched = None
    return {"X86_64": "x86_64", "ARM_64": "arm64"}.get(
        matched.group(1) if matched else "", "x86_64"
    )


@dataclass(frozen=True)
class Mix:
    """Shares of orders that are approved, rejected and time out."""

    approve: float
    reject: float
    timeout: float

    @classmethod
    def parse(cls, text: str) -> Mix:
        parts = text.split(":")
        try:
            weights = [float(part) for part in parts]
        except ValueError:
            raise ValueError(f"{text!r} is not approve:reject:timeout, e.g. 8:1:1") from None
        if len(weights) != 3 or any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError(f"{text!r} is not approve:reject:timeout, e.g. 8:1:1")
        total = sum(weights)
        return cls(*(w / total for w in weights))

    def share(self, outcome: Outcome) -> float:
        return float(getattr(self, outcome))

    def __str__(self) -> str:
        return ":".join(f"{self.share(o):.0%}" for o in OUTCOMES)


@dataclass(frozen=True)
class Line:
    label: str
    quantity: float  # per order
    unit: str
    usd: float  # per order


@dataclass(frozen=True)
class FixedLine:
    label: str
    quantity: float  # per month
    unit: str
    usd: float  # per month


@dataclass(frozen=True)
class Estimate:
    design: Design
    orders_per_month: int
    lines: tuple[Line, ...]
    fixed: tuple[FixedLine, ...]
    usage: dict[Outcome, Usage]

    @property
    def variable_per_order(self) -> float:
        return sum(line.usd for line in self.lines)

    @property
    def fixed_per_month(self) -> float:
        return sum(line.usd for line in self.fixed)

    @property
    def per_month(self) -> float:
        return self.variable_per_order * self.orders_per_month + self.fixed_per_month

    @property
    def per_order(self) -> float:
        return self.per_month / self.orders_per_month

    @property
    def per_million_orders(self) -> float:
        return self.per_order * 1_000_000

    def line(self, label: str) -> Line:
        return next(line for line in self.lines if line.label == label)


def _weighted(usages: dict[Outcome, Usage], mix: Mix, value: str) -> float:
    return sum(mix.share(o) * float(getattr(usages[o], value)) for o in OUTCOMES)


def estimate(
    services: tuple[ServiceWiring, ...],
    design: Design,
    *,
    orders_per_month: int,
    mix: Mix,
    prices: PriceList,
    durations: Durations,
    assumptions: Assumptions | None = None,
    architecture: str | None = None,
    observability: Observability | None = None,
) -> Estimate:
    if orders_per_month <= 0:
        raise ValueError("orders per month must be positive")
    assume = assumptions or Assumptions()
    arch = architecture or deployed_architecture()
    seen = observability or deployed_observability()
    usages = {
        o: derive_usage(services, o, design, prices=prices, assumptions=assume) for o in OUTCOMES
    }

    def per_order(value: str) -> float:
        return _weighted(usages, mix, value)

    invocations: dict[str, float] = {}
    key_uses: dict[str, float] = {}
    for outcome in OUTCOMES:
        for key, use in usages[outcome].functions.items():
            share = mix.share(outcome)
            invocations[key] = invocations.get(key, 0.0) + share * use.invocations
            key_uses[key] = key_uses.get(key, 0.0) + share * use.signing_key_uses
    gb_seconds = sum(
        count * durations.ms(key) / 1000 * memory_mb(services, key) / 1024
        for key, count in invocations.items()
    )
    lambda_invocations = sum(invocations.values())
    # Upper bound: every invocation and execution its own trace (SQS and the stream start
    # linked traces), sampled by the default rule at the month's average rate.
    traced = (lambda_invocations if seen.lambda_tracing else 0.0) + (
        per_order("executions") if seen.state_machine_tracing else 0.0
    )
    traces = traced * sampled_share(traced * orders_per_month / SECONDS_PER_MONTH, seen)
    lambda_log_gb = lambda_invocations * seen.function_log_bytes_per_invocation / GB
    sfn_events = (
        per_order("state_machine_log_events") if seen.state_machine_log_level == "ALL" else 0.0
    )
    sfn_log_gb = sfn_events * seen.state_machine_log_event_bytes / GB
    logs_price = "cloudwatch_logs_ingested_gb"
    # Each function's warm environments fetch the key at most once per cache period.
    cap = assume.warm_environments_per_function * SECONDS_PER_MONTH / KEY_CACHE_SECONDS
    secret_calls_per_month = sum(
        min(uses * orders_per_month, cap) for uses in key_uses.values() if uses
    )

    def line(label: str, quantity: float, unit: str, price: str) -> Line:
        return Line(label, quantity, unit, quantity * prices.unit_usd(price))

    lines = (
        line(
            "Step Functions transitions",
            per_order("transitions"),
            "transitions",
            "step_functions_state_transition",
        ),
        line("Lambda requests", sum(invocations.values()), "invocations", "lambda_request"),
        line("Lambda duration", gb_seconds, f"GB-s ({arch})", f"lambda_gb_second_{arch}"),
        line("EventBridge events", per_order("events"), "64 KB chunks", "eventbridge_custom_event"),
        line(
            "EventBridge archive",
            per_order("event_bytes") / GB,
            "GB",
            "eventbridge_archive_gb",
        ),
        line("SQS requests", per_order("sqs_requests"), "requests", "sqs_request"),
        line(
            "DynamoDB writes",
            per_order("write_units") + per_order("state_writes"),
            "WRU",
            "dynamodb_write_request_unit",
        ),
        line("DynamoDB reads", per_order("read_units"), "RRU", "dynamodb_read_request_unit"),
        line("SES emails", per_order("ses_emails"), "emails", "ses_email"),
        line("SNS publishes", per_order("sns_publishes"), "requests", "sns_publish"),
        line(
            "SNS email notifications",
            per_order("sns_email_notifications"),
            "notifications",
            "sns_email_notification",
        ),
        line(
            "Secrets Manager calls",
            secret_calls_per_month / orders_per_month,
            "GetSecretValue",
            "secrets_manager_api_call",
        ),
        line(
            "API Gateway HTTP API",
            per_order("http_api_requests"),
            "requests",
            "http_api_request",
        ),
        line(
            "Lambda Function URL",
            per_order("function_url_requests"),
            "requests",
            "lambda_function_url_request",
        ),
        line(
            "Scheduler invocations",
            per_order("scheduler_invocations"),
            "invocations",
            "scheduler_invocation",
        ),
        line("X-Ray traces", traces, "traces", "xray_trace_recorded"),
        line("Logs: Lambda", lambda_log_gb, f"GB ({seen.function_log_level})", logs_price),
        line(
            "Logs: Step Functions", sfn_log_gb, f"GB ({seen.state_machine_log_level})", logs_price
        ),
    )
    secrets = sum(len(w.secrets) for w in services)
    sqs_sources = sum(isinstance(f.trigger, SqsTrigger) for w in services for f in w.functions)
    idle_receives = (
        sqs_sources
        * assume.sqs_pollers_per_queue
        * SECONDS_PER_MONTH
        / assume.sqs_long_poll_seconds
    )
    fixed = (
        FixedLine(
            "Secrets Manager secrets",
            secrets,
            "secrets",
            secrets * prices.unit_usd("secrets_manager_secret_month"),
        ),
        FixedLine(
            f"SQS empty receives ({sqs_sources} event sources)",
            idle_receives,
            "requests",
            idle_receives * prices.unit_usd("sqs_request"),
        ),
        FixedLine(
            "EMF custom metrics",
            billed_metrics(seen),
            "metric-months",
            billed_metrics(seen) * prices.unit_usd("cloudwatch_custom_metric_month"),
        ),
    )
    return Estimate(design, orders_per_month, lines, fixed, usages)


FLOOR_LINES = ("SES emails", "SNS publishes", "SNS email notifications")
OBSERVABILITY_LINES = ("X-Ray traces", "Logs: Lambda", "Logs: Step Functions")
OBSERVABILITY_FIXED = ("EMF custom metrics",)


def floor_per_order(estimate_: Estimate) -> float:
    """What the customer emails and the owner's message cost per order, whatever the design:
    no design can cost less than this."""
    return sum(estimate_.line(label).usd for label in FLOOR_LINES)


def observability_share(estimate_: Estimate) -> float:
    """The share of the per-order cost that traces, logs and metrics make up."""
    variable = sum(estimate_.line(label).usd for label in OBSERVABILITY_LINES)
    fixed = sum(f.usd for f in estimate_.fixed if f.label in OBSERVABILITY_FIXED)
    return (variable + fixed / estimate_.orders_per_month) / estimate_.per_order
