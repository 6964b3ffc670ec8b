"""The vocabulary of a service's ``wiring.py``: what it owns and how its functions are triggered.

Each service declares its resources once, as data. The CDK app (``infra/``) builds the cloud
resources from these declarations and the local stack (``local/``) provisions the same ones on
moto, so the two cannot drift apart. Names here are logical; each side turns them into
physical names (``<prefix>-<service>-<name>``) and hands them to the functions through the
environment variables the declarations name.

Two declarations are cloud-only and the local stack ignores them: per-route throttling
(``HttpRoute.throttle``) and ``Function.reserved_concurrency``. Locally one client drives the
stack and every function already runs one invocation at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

# Files the wiring names (state machine definitions) are relative to the repository root.
REPO_ROOT = Path(__file__).resolve().parents[2]


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    READ_WRITE = "read_write"


@dataclass(frozen=True)
class Index:
    """A global secondary index (string keys, every attribute projected)."""

    name: str
    partition_key: str
    sort_key: str | None = None


@dataclass(frozen=True)
class Table:
    """A DynamoDB table (on-demand) with a string partition key and optional sort key."""

    name: str
    env_var: str
    partition_key: str
    sort_key: str | None = None
    ttl_attribute: str | None = None
    stream: bool = False  # NEW_AND_OLD_IMAGES when on.
    indexes: tuple[Index, ...] = ()

    def key_attributes(self) -> tuple[str, ...]:
        """Every attribute a key of the table or of one of its indexes names, once."""
        names = [self.partition_key, self.sort_key]
        for index in self.indexes:
            names += [index.partition_key, index.sort_key]
        return tuple(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True)
class Queue:
    """An SQS queue; every queue gets a DLQ that receives a message after
    ``max_receive_count`` failed receives."""

    name: str
    visibility_timeout_seconds: int = 60
    max_receive_count: int = 5
    env_var: str | None = None  # Only for queues a function writes to or reads by URL.


@dataclass(frozen=True)
class Subscription:
    """A rule that delivers matching events into one of the service's queues.

    ``on_default_bus`` puts the rule on the account's default bus instead of the shop's:
    events AWS services publish themselves (SES's email events) arrive only there.
    """

    name: str
    queue: str
    pattern: dict[str, Any]
    on_default_bus: bool = False


@dataclass(frozen=True)
class EmailConfigurationSet:
    """An SES configuration set every send of the service names; it publishes the email
    events ``event_types`` (SESv2 names: SEND, DELIVERY, BOUNCE, COMPLAINT, REJECT) to the
    account's default event bus. ``env_var`` hands its name to the service's functions."""

    name: str
    env_var: str
    event_types: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    """An SNS topic (the owner's notifications).

    In the cloud the address the deploy config holds under ``subscriber`` (e.g. ``-c
    owner_email=...``) is subscribed to it by email. An ``optional`` topic is built only when
    that address is given; without it the functions get no ``env_var`` and do without.
    """

    name: str
    env_var: str
    subscriber: str = "owner_email"
    optional: bool = False


@dataclass(frozen=True)
class ScheduleGroup:
    """One-time timers the service's functions set at run time: EventBridge Scheduler
    schedules (``at(...)``, deleted after they fire) in a group of their own, each delivering
    its input as a message to ``target_queue`` (its DLQ takes what Scheduler cannot deliver)
    through a role Scheduler assumes that may only send there. moto stores schedules but
    never fires them: the local stack does (``local/schedules.py``).

    The functions find the group, the target queue's ARN, the role's ARN and the DLQ's ARN
    in ``<env_prefix>_GROUP``, ``_TARGET_ARN``, ``_ROLE_ARN`` and ``_DLQ_ARN``.
    """

    name: str
    target_queue: str
    env_prefix: str

    @property
    def group_env_var(self) -> str:
        return f"{self.env_prefix}_GROUP"

    @property
    def target_env_var(self) -> str:
        return f"{self.env_prefix}_TARGET_ARN"

    @property
    def role_env_var(self) -> str:
        return f"{self.env_prefix}_ROLE_ARN"

    @property
    def dlq_env_var(self) -> str:
        return f"{self.env_prefix}_DLQ_ARN"


@dataclass(frozen=True)
class Secret:
    """A secret generated at deploy time (Secrets Manager) or start-up (local stack)."""

    name: str
    env_var: str
    description: str


@dataclass(frozen=True)
class Setting:
    """A value the deployer chooses (CDK context) or the local stack sets: a sender address,
    a duration. ``env_var`` hands it to every function of the service; a setting used only as
    a state machine substitution has none. ``default`` is the cloud default, ``local_default``
    the local stack's (durations there are seconds, not days)."""

    name: str
    description: str
    env_var: str | None = None
    default: str | None = None
    local_default: str | None = None


@dataclass(frozen=True)
class UserPoolClient:
    """An app client of a user pool: public (no secret), so a browser or app can sign in.

    ``auth_flows`` are Cognito's explicit flows without the ``ALLOW_`` prefix, e.g.
    ``USER_PASSWORD_AUTH``, ``USER_SRP_AUTH``; refresh is always allowed."""

    name: str
    auth_flows: tuple[str, ...]


@dataclass(frozen=True)
class UserPool:
    """A Cognito user pool whose users sign in with their email address, verified by a code.

    ``required_attributes`` are standard attributes every user must have (e.g. ``name``);
    the id tokens of ``clients`` carry them as claims."""

    name: str
    clients: tuple[UserPoolClient, ...]
    required_attributes: tuple[str, ...] = ()

    def client(self, name: str) -> UserPoolClient:
        return next(c for c in self.clients if c.name == name)


@dataclass(frozen=True)
class StateMachine:
    """A Standard state machine from an ASL file with ``${...}`` substitutions.

    ``substitutions`` maps each placeholder to where its value comes from: ``queue_url:<q>``,
    ``bus_name``, or ``setting:<name>`` (a duration or other deploy-time setting).
    """

    name: str
    env_var: str
    definition_file: str  # relative to the repository root
    substitutions: dict[str, str]
    sends_to_queues: tuple[str, ...] = ()
    puts_events: bool = True


# --- function triggers ------------------------------------------------------------------


@dataclass(frozen=True)
class SqsTrigger:
    queue: str
    batch_size: int = 10
    max_batching_window_seconds: int = 0
    kind: Literal["sqs"] = "sqs"


# Lambda's value for "retry a failing stream batch until its records expire (24 h)".
RETRY_UNTIL_EXPIRED = -1


@dataclass(frozen=True)
class StreamTrigger:
    table: str
    batch_size: int = 25
    max_retry_attempts: int = 10  # or RETRY_UNTIL_EXPIRED
    # Only records with these stream event names reach the function (a Lambda filter
    # criterion; the others are dropped unseen); empty: every record.
    event_names: tuple[Literal["INSERT", "MODIFY", "REMOVE"], ...] = ()
    kind: Literal["stream"] = "stream"


@dataclass(frozen=True)
class ScheduleTrigger:
    """A timer (an EventBridge schedule in AWS; the local stack's own timer locally).
    AWS schedules run at most once a minute; ``local_every_seconds`` keeps the local
    stack's journeys short."""

    every_seconds: int
    local_every_seconds: int
    kind: Literal["schedule"] = "schedule"


@dataclass(frozen=True)
class Throttle:
    """Steady requests per second and burst for one HTTP API route (API Gateway's token
    bucket); past it clients get 429 before the function runs."""

    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str  # API Gateway style, e.g. /orders/{order_id}
    throttle: Throttle | None = None  # None: the stage's default limits

    @property
    def key(self) -> str:
        """API Gateway's route key, e.g. ``POST /orders``."""
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class JwtAuthorizer:
    """API Gateway's JWT authorizer on every route: a request needs ``Authorization: Bearer
    <token>`` signed by ``user_pool`` for its ``client`` (issuer, audience, expiry, signature).
    The function sees the token's claims in ``requestContext.authorizer.jwt``."""

    user_pool: str
    client: str


@dataclass(frozen=True)
class HttpApiTrigger:
    """An API Gateway HTTP API (payload format 2.0) in front of the function."""

    routes: tuple[HttpRoute, ...]
    authorizer: JwtAuthorizer | None = None
    kind: Literal["http_api"] = "http_api"


@dataclass(frozen=True)
class FunctionUrlTrigger:
    """A public Lambda Function URL (auth NONE: the request's own proof is the guard).

    ``env_var``, when set, hands the URL (without a trailing slash) to every function of the
    service, e.g. so the function that writes links knows where they point.
    """

    env_var: str | None = None
    kind: Literal["function_url"] = "function_url"


Trigger = SqsTrigger | StreamTrigger | HttpApiTrigger | FunctionUrlTrigger | ScheduleTrigger


# --- permissions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Permissions:
    """What a function may touch, named by logical resource; turned into one role per function."""

    tables: dict[str, Access] = field(default_factory=dict)
    send_to_queues: tuple[str, ...] = ()
    publish_to_topics: tuple[str, ...] = ()
    read_secrets: tuple[str, ...] = ()
    put_events: bool = False
    start_executions: tuple[str, ...] = ()  # state machines by name
    send_task_results: bool = False  # states:SendTaskSuccess/Failure (cannot be resource-scoped)
    send_email: bool = False
    # Schedule groups whose schedules the function creates (and passes their role to) or
    # deletes.
    create_schedules: tuple[str, ...] = ()
    delete_schedules: tuple[str, ...] = ()


# One metrics namespace for the whole shop, so dashboards find every service's counters.
# Powertools reads it from this variable, which every function gets (``Function.environment``).
METRICS_NAMESPACE = "Shop"
METRICS_NAMESPACE_ENV_VAR = "POWERTOOLS_METRICS_NAMESPACE"


def _observability_environment() -> dict[str, str]:
    return {METRICS_NAMESPACE_ENV_VAR: METRICS_NAMESPACE}


@dataclass(frozen=True)
class Function:
    name: str
    handler: str  # dotted path: services.<service>.handlers.<module>.<callable>
    trigger: Trigger
    permissions: Permissions
    description: str
    timeout_seconds: int = 10
    memory_mb: int = 256
    # Fixed, non-resource settings; the metrics namespace unless a function says otherwise.
    environment: dict[str, str] = field(default_factory=_observability_environment)
    # Concurrent executions kept for this function and never exceeded: a flood of public
    # requests is throttled here instead of starving the account's other functions.
    reserved_concurrency: int | None = None


@dataclass(frozen=True)
class ServiceWiring:
    name: str
    tables: tuple[Table, ...] = ()
    queues: tuple[Queue, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    topics: tuple[Topic, ...] = ()
    schedule_groups: tuple[ScheduleGroup, ...] = ()
    secrets: tuple[Secret, ...] = ()
    state_machines: tuple[StateMachine, ...] = ()
    user_pools: tuple[UserPool, ...] = ()
    settings: tuple[Setting, ...] = ()
    # Settings whose value is an address the service sends email from (an SES identity).
    email_sender_settings: tuple[str, ...] = ()
    email_configuration_sets: tuple[EmailConfigurationSet, ...] = ()
    functions: tuple[Function, ...] = ()

    def __post_init__(self) -> None:
        known_queues = {q.name for q in self.queues}
        known_tables = {t.name for t in self.tables}
        for sub in self.subscriptions:
            if sub.queue not in known_queues:
                raise ValueError(f"{self.name}: subscription {sub.name} targets unknown queue")
        for group in self.schedule_groups:
            if group.target_queue not in known_queues:
                raise ValueError(f"{self.name}: schedule group {group.name} targets unknown queue")
        for fn in self.functions:
            trigger = fn.trigger
            if isinstance(trigger, SqsTrigger) and trigger.queue not in known_queues:
                raise ValueError(f"{self.name}: {fn.name} is triggered by an unknown queue")
            if isinstance(trigger, StreamTrigger) and trigger.table not in known_tables:
                raise ValueError(f"{self.name}: {fn.name} is triggered by an unknown table")
            if isinstance(trigger, StreamTrigger) and not self.table(trigger.table).stream:
                raise ValueError(f"{self.name}: {fn.name} needs a stream on {trigger.table}")
            if isinstance(trigger, HttpApiTrigger) and trigger.authorizer:
                self._check_authorizer(fn.name, trigger.authorizer)

    def _check_authorizer(self, function: str, authorizer: JwtAuthorizer) -> None:
        pool = next((p for p in self.user_pools if p.name == authorizer.user_pool), None)
        if pool is None or authorizer.client not in {c.name for c in pool.clients}:
            raise ValueError(
                f"{self.name}: {function}'s authorizer names an unknown user pool or client"
            )

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def queue(self, name: str) -> Queue:
        return next(q for q in self.queues if q.name == name)

    def function(self, name: str) -> Function:
        return next(f for f in self.functions if f.name == name)

    def user_pool(self, name: str) -> UserPool:
        return next(p for p in self.user_pools if p.name == name)


def event_pattern(source: str, *detail_types: str) -> dict[str, Any]:
    """The rule pattern for some events of one producer."""
    return {"source": [source], "detail-type": list(detail_types)}


# Environment variables every function gets, whatever it declares.
BUS_ENV_VAR = "EVENT_BUS_NAME"
