"""What one order uses, per way it ends, derived from the design rather than guessed.

An order is followed from its POST to its last email: the API function writes the order; the
table's stream invokes the outbox, which puts OrderPlaced; every bus rule that matches an
event (the wirings' subscriptions) sends it to a queue whose function is invoked; the starter
starts the execution, whose states are walked in the ASL file (each one a transition, its
tasks sending the token message or putting events); the owner opens a link and confirms (or
nobody does). What each function does once invoked comes from ``operations``.

Two other designs a team would consider, priced from the same walk:

- ``all-lambda``, the seed's Lambda per step: the same journey with one more Lambda
  invocation for every Task state (the state machine invokes a function that sends the
  message or puts the event itself); Pass and Wait states stay in the same Standard workflow.
- ``scheduler``, no state machine: the starter keeps the journey in a DynamoDB item and the
  functions already running do each step themselves (send the token message, put the event),
  each step one conditional write of that item; a wait (the feedback delay) or an approval
  window that runs out is an EventBridge Scheduler one-time schedule invoking a function,
  which does the next step. Schedules a decision makes moot are deleted (API calls, free).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, cast

from events.models import EVENTS_BY_DETAIL_TYPE
from local.paths import REPO_ROOT
from services.common.wiring import Function, ServiceWiring, SqsTrigger, StreamTrigger
from services.workflow.domain.relay import REJECTED_ERROR
from tools.cost.asl_paths import Outcome, Step, load_asl, walk
from tools.cost.operations import (
    CONFIRM_APPROVE,
    CONFIRM_REJECT,
    OPEN_LINK,
    POST_ORDER,
    TOKEN_MESSAGE,
    Operation,
    operations,
    stream_trigger,
)
from tools.cost.prices import PriceList
from tools.cost.sizes import ItemSizes, event_bytes, read_units, write_units

Design = Literal["ours", "all-lambda", "scheduler"]
DESIGNS: tuple[Design, ...] = ("ours", "all-lambda", "scheduler")
DESIGN_LABELS: dict[Design, str] = {
    "ours": "ours",
    "all-lambda": "Lambda/step",
    "scheduler": "Scheduler",
}
STEP_FUNCTION_PREFIX = "workflow/step:"  # the all-Lambda design's extra functions
SCHEDULED_FUNCTION = "workflow/scheduled"  # the Scheduler design's function for due steps
# What Step Functions logs per state at level ALL (history events), and around each execution.
TASK_LOG_EVENTS = 5  # entered, scheduled, started, succeeded (or submitted), exited
OTHER_LOG_EVENTS = 2  # entered, exited
EXECUTION_LOG_EVENTS = 2  # started, succeeded (or failed)
# What a function gets when its declaration names no memory size.
DEFAULT_MEMORY_MB = cast(int, next(f.default for f in fields(Function) if f.name == "memory_mb"))


@dataclass(frozen=True)
class Assumptions:
    """Everything the design does not fix, stated once and printed with the figures."""

    # At 100,000 orders a month (one every 26 s) a poller finds one message at a time;
    # busier queues fill batches and only lower the request and invocation counts.
    messages_per_batch: float = 1.0
    link_opens_per_decision: float = 1.0  # the owner's GET before the POST
    idempotency_key_share: float = 1.0  # cautious: every client sends Idempotency-Key
    # Lambda long-polls each SQS event source with about five pollers, 20 s per empty receive.
    sqs_pollers_per_queue: int = 5
    sqs_long_poll_seconds: int = 20
    warm_environments_per_function: int = 1  # for the signing key's 5-minute cache
    item_sizes: ItemSizes = field(default_factory=ItemSizes.typical)


@dataclass
class FunctionUse:
    invocations: float = 0.0
    read_units: float = 0.0
    write_units: float = 0.0
    signing_key_uses: float = 0.0  # invocations that need the key (cached 5 minutes)


@dataclass
class Usage:
    """One order's use of each billed thing, for one design and one outcome."""

    design: Design
    outcome: Outcome
    steps: list[Step] = field(default_factory=list)
    transitions: float = 0.0
    functions: dict[str, FunctionUse] = field(default_factory=dict)
    events: float = 0.0  # billed (64 KB chunks)
    event_count: float = 0.0
    event_bytes: float = 0.0  # what the bus archive stores
    sqs_requests: float = 0.0
    ses_emails: float = 0.0
    sns_publishes: float = 0.0
    sns_email_notifications: float = 0.0
    http_api_requests: float = 0.0
    function_url_requests: float = 0.0
    executions: float = 0.0
    state_machine_log_events: float = 0.0  # at level ALL
    scheduler_invocations: float = 0.0
    state_writes: float = 0.0  # the Scheduler design's journey item, in write units

    def function(self, key: str) -> FunctionUse:
        return self.functions.setdefault(key, FunctionUse())

    @property
    def lambda_requests(self) -> float:
        return sum(f.invocations for f in self.functions.values())

    @property
    def read_units(self) -> float:
        return sum(f.read_units for f in self.functions.values())

    @property
    def write_units(self) -> float:
        return sum(f.write_units for f in self.functions.values())


def function_key(wiring: ServiceWiring, function: Function) -> str:
    return f"{wiring.name}/{function.name}"


def memory_mb(services: tuple[ServiceWiring, ...], key: str) -> int:
    """A function's declared memory; the all-Lambda design's step functions get the default."""
    for wiring in services:
        for fn in wiring.functions:
            if function_key(wiring, fn) == key:
                return fn.memory_mb
    if key.startswith(STEP_FUNCTION_PREFIX) or key == SCHEDULED_FUNCTION:
        return DEFAULT_MEMORY_MB
    raise KeyError(f"no function {key} in the wirings")


def pattern_matches(pattern: dict[str, Any], source: str, detail_type: str) -> bool:
    if unsupported := set(pattern) - {"source", "detail-type"}:
        raise NotImplementedError(f"event pattern keys {sorted(unsupported)} are not modelled")
    return source in pattern.get("source", [source]) and detail_type in pattern.get(
        "detail-type", [detail_type]
    )


def routes(
    services: tuple[ServiceWiring, ...], detail_type: str
) -> list[tuple[ServiceWiring, str]]:
    """Every (service, queue) a bus rule delivers ``detail_type`` to, one per matching rule."""
    source = EVENTS_BY_DETAIL_TYPE[detail_type].source
    return [
        (wiring, sub.queue)
        for wiring in services
        for sub in wiring.subscriptions
        if pattern_matches(sub.pattern, source, detail_type)
    ]


class _Journey:
    def __init__(
        self,
        services: tuple[ServiceWiring, ...],
        outcome: Outcome,
        design: Design,
        assumptions: Assumptions,
        prices: PriceList,
    ) -> None:
        self.services = services
        self.assumptions = assumptions
        self.prices = prices
        self.ops = operations(assumptions.idempotency_key_share)
        self.usage = Usage(design=design, outcome=outcome)

    # --- where things go, from the wirings ------------------------------------------

    def _wiring(self, service: str) -> ServiceWiring:
        return next(w for w in self.services if w.name == service)

    def _consumer(self, wiring: ServiceWiring, queue: str) -> str:
        for fn in wiring.functions:
            if isinstance(fn.trigger, SqsTrigger) and fn.trigger.queue == queue:
                return function_key(wiring, fn)
        raise LookupError(f"{wiring.name}: no function reads the {queue} queue")

    def _stream_consumer(self, table: str, event: str) -> str | None:
        """The function a stream record of ``event`` invokes, if any: the mapping's filter
        criteria drop the records whose event names it does not list, unbilled."""
        service, name = table.split("/", 1)
        wiring = self._wiring(service)
        if not wiring.table(name).stream:
            return None
        for fn in wiring.functions:
            trigger = fn.trigger
            if isinstance(trigger, StreamTrigger) and trigger.table == name:
                wanted = not trigger.event_names or event in trigger.event_names
                return function_key(wiring, fn) if wanted else None
        return None

    # --- what happens ------------------------------------------------------------------

    def run(self) -> Usage:
        # The customer's POST: one HTTP API request, one invocation, no batching.
        self.usage.http_api_requests += self.prices.chunks("http_api_request", 2048)
        self.invoke("orders/api", POST_ORDER, weight=1.0, batched=False)
        return self.usage

    def invoke(self, key: str, trigger: str, *, weight: float, batched: bool) -> None:
        try:
            op: Operation = self.ops[(key, trigger)]
        except KeyError:
            raise KeyError(
                f"{key} is reached by {trigger!r} but tools/cost/operations.py has no entry"
            ) from None
        sizes = self.assumptions.item_sizes
        use = self.usage.function(key)
        use.invocations += weight / self.assumptions.messages_per_batch if batched else weight
        if op.needs_signing_key:
            use.signing_key_uses += weight
        for read in op.reads:
            use.read_units += weight * read_units(sizes.of(read.item))
        for write in op.writes:
            units = write_units(sizes.of(write.item), transactional=write.transactional)
            use.write_units += weight * write.weight * units
            if write.stream and (consumer := self._stream_consumer(write.table, write.stream)):
                self.invoke(
                    consumer,
                    stream_trigger(write.stream),
                    weight=weight * write.weight,
                    batched=True,
                )
        self.usage.ses_emails += weight * op.ses_emails
        self.usage.sns_publishes += weight * op.sns_publishes
        self.usage.sns_email_notifications += weight * op.sns_email_notifications
        for detail_type in op.emits:
            self.put_event(detail_type, weight)
        if op.starts_execution:
            self.execute(weight)

    def put_event(self, detail_type: str, weight: float) -> None:
        size = event_bytes(detail_type)
        self.usage.events += weight * self.prices.chunks("eventbridge_event", size)
        self.usage.event_count += weight
        self.usage.event_bytes += weight * size
        for wiring, queue in routes(self.services, detail_type):
            self.deliver(wiring, queue, detail_type, size, weight)

    def deliver(
        self, wiring: ServiceWiring, queue: str, trigger: str, size: int, weight: float
    ) -> None:
        """A SendMessage (by a bus rule or the state machine), then the poller's receive and
        delete around the consumer's invocation."""
        chunks = self.prices.chunks("sqs_request", size)
        per_batch = 1 / self.assumptions.messages_per_batch
        self.usage.sqs_requests += weight * chunks * (1 + 2 * per_batch)
        self.invoke(self._consumer(wiring, queue), trigger, weight=weight, batched=True)

    def execute(self, weight: float) -> None:
        workflow = self._wiring("workflow")
        [machine] = workflow.state_machines
        definition = load_asl(REPO_ROOT / machine.definition_file)
        steps = walk(definition, self.usage.outcome, rejected_error=REJECTED_ERROR)
        self.usage.steps = steps
        scheduler = self.usage.design == "scheduler"
        if not scheduler:
            self.usage.executions += weight
            self.usage.state_machine_log_events += weight * EXECUTION_LOG_EVENTS
        for step in steps:
            if scheduler:
                self.scheduled_step(step, weight)
            else:
                self.usage.transitions += weight
                events = TASK_LOG_EVENTS if step.is_task else OTHER_LOG_EVENTS
                self.usage.state_machine_log_events += weight * events
            if self.usage.design == "all-lambda" and step.is_task:
                key = f"{STEP_FUNCTION_PREFIX}{step.name}"
                self.usage.function(key).invocations += weight
            if step.queue_placeholder:
                source = machine.substitutions[step.queue_placeholder]
                kind, _, queue = source.partition(":")
                if kind != "queue_url":
                    raise ValueError(f"{step.name} sends to {source}, not a declared queue")
                # The token message carries the order, like an event does.
                self.deliver(workflow, queue, TOKEN_MESSAGE, event_bytes("OrderPlaced"), weight)
            if step.waits_for_token and self.usage.outcome != "timeout":
                self.owner_decides(weight)
            for detail_type in step.detail_types:
                self.put_event(detail_type, weight)

    def scheduled_step(self, step: Step, weight: float) -> None:
        """The Scheduler design's cost of one state of the walk: one write of the journey item
        per step; a schedule firing a function for a wait, and for an approval nobody gave."""
        self.usage.state_writes += weight
        fires = step.type == "Wait" or (step.waits_for_token and self.usage.outcome == "timeout")
        if fires:
            self.usage.scheduler_invocations += weight
            self.usage.function(SCHEDULED_FUNCTION).invocations += weight

    def owner_decides(self, weight: float) -> None:
        opens = self.assumptions.link_opens_per_decision
        confirm = CONFIRM_APPROVE if self.usage.outcome == "approve" else CONFIRM_REJECT
        self.usage.function_url_requests += weight * (opens + 1)
        self.invoke("approvals/decision", OPEN_LINK, weight=weight * opens, batched=False)
        self.invoke("approvals/decision", confirm, weight=weight, batched=False)


def derive_usage(
    services: tuple[ServiceWiring, ...],
    outcome: Outcome,
    design: Design,
    *,
    prices: PriceList,
    assumptions: Assumptions | None = None,
) -> Usage:
    """One order's usage when it ends with ``outcome``, in ``design``."""
    return _Journey(services, outcome, design, assumptions or Assumptions(), prices).run()
