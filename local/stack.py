"""The whole shop on one machine: provision every service, run its functions, route HTTP.

``LocalStack`` works against whatever AWS boto3 reaches: moto in server mode for ``shop
local`` (see ``local.moto_server``), or moto in-process for tests. Every function is loaded
fresh (a cold start), every SQS and stream trigger gets an emulated event source mapping,
and the HTTP triggers are served by one router.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3

from local import catalogue, moto_patches
from local.bus_tap import BusTap
from local.customers import CustomerDirectory
from local.event_sources import (
    DynamoDbStreamEventSource,
    EventSource,
    EventSourceRunner,
    ScheduleEventSource,
    SqsEventSource,
)
from local.gateway import Router, function_url_prefix
from local.jwt_authorizer import JwtAuthorizer
from local.lambda_runtime import BeforeInvoke, LocalFunction, load_function
from local.mailbox import Mailbox
from local.provision import LocalNames, ProvisionedService, Provisioner
from local.queues import queue_depth
from local.schedules import ScheduleFirer
from local.services import ALL_SERVICES
from local.ses_events import SesEventSimulator
from local.settings import LocalStackSettings
from services.common.wiring import (
    FunctionUrlTrigger,
    HttpApiTrigger,
    ScheduleTrigger,
    ServiceWiring,
    SqsTrigger,
    StreamTrigger,
)
from services.orders.adapters.catalogue import DynamoCatalogue
from services.orders.wiring import WIRING as ORDERS

log = logging.getLogger("shop.local")
# Who reads a topic's messages, by the deploy setting that subscribes them in the cloud.
_RECIPIENTS = {"owner_email": "the store owner", "backup_approver_email": "the backup approver"}


class EnvironmentConflictError(RuntimeError):
    """Two services want the same environment variable with different values; in one process
    the second would silently win, so the stack refuses to start."""


def stop_running_executions(sfn: Any) -> None:
    """Stop every running execution: they run in moto's threads and would otherwise outlive
    the stack (or the mock) they belong to, calling an endpoint that is gone."""
    for machine in sfn.list_state_machines()["stateMachines"]:
        running = sfn.list_executions(
            stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING"
        )["executions"]
        for execution in running:
            sfn.stop_execution(executionArn=execution["executionArn"])


@dataclass
class LocalStack:
    settings: LocalStackSettings
    base_url: str = "http://local.test"
    services: tuple[ServiceWiring, ...] = ALL_SERVICES
    before_invoke: BeforeInvoke | None = None
    provisioned: dict[str, ProvisionedService] = field(default_factory=dict)
    functions: dict[str, LocalFunction] = field(default_factory=dict)
    sources: list[EventSource] = field(default_factory=list)
    router: Router = field(default_factory=Router)
    _runner: EventSourceRunner | None = None
    _mailbox: Mailbox | None = None
    _tap: BusTap | None = None
    _ses_events: SesEventSimulator | None = None
    _schedules: ScheduleFirer | None = None
    _saved_env: dict[str, str | None] = field(default_factory=dict)

    @property
    def names(self) -> LocalNames:
        return LocalNames(prefix=self.settings.prefix, bus=self.settings.bus_name)

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=self.settings.region)  # type: ignore[call-overload]

    def setting(self, name: str) -> str:
        """A service setting's value on this stack: the override given, else its local default."""
        wiring = next((w for w in self.services if any(s.name == name for s in w.settings)), None)
        if wiring is None:
            raise KeyError(f"no service declares the setting {name!r}")
        return self._provisioner({}).setting(wiring, name)

    def _provisioner(self, function_urls: dict[str, str]) -> Provisioner:
        return Provisioner(
            self.names,
            self.settings.wiring_settings(),
            self.client,
            visibility_timeout_seconds=self.settings.visibility_timeout_seconds,
            function_urls=function_urls,
        )

    def provision(self) -> None:
        function_urls = {
            f"{w.name}/{f.name}": self.base_url + function_url_prefix(w.name, f.name)
            for w in self.services
            for f in w.functions
            if isinstance(f.trigger, FunctionUrlTrigger)
        }
        provisioner = self._provisioner(function_urls)
        for wiring in self.services:
            self.provisioned[wiring.name] = provisioner.provision(wiring)
        self._export(self._merged_environment())
        self._seed_catalogue()

    def _seed_catalogue(self) -> None:
        """The sample catalogue (shoes, socks, ...), so orders can be placed right away."""
        if orders := self.provisioned.get(ORDERS.name):
            dynamodb = boto3.resource("dynamodb", region_name=self.settings.region)
            catalogue.seed(DynamoCatalogue(dynamodb, orders.tables[catalogue.TABLE]))

    def _merged_environment(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for name, service in self.provisioned.items():
            for var, value in service.env.items():
                if merged.get(var, value) != value:
                    raise EnvironmentConflictError(f"{var} is set differently by {name}")
                merged[var] = value
        return merged

    def _export(self, env: dict[str, str]) -> None:
        for var, value in env.items():
            self._saved_env.setdefault(var, os.environ.get(var))
            os.environ[var] = value

    def load_functions(self) -> None:
        for wiring in self.services:
            service = self.provisioned[wiring.name]
            for spec in wiring.functions:
                function = load_function(wiring.name, spec, fresh=True)
                function.before_invoke = self.before_invoke
                self.functions[function.qualified_name] = function
                self.router.add(function, self._authorizer(service, function))
                if source := self._event_source(service, function):
                    self.sources.append(source)

    def _authorizer(
        self, service: ProvisionedService, function: LocalFunction
    ) -> JwtAuthorizer | None:
        trigger = function.spec.trigger
        if not (isinstance(trigger, HttpApiTrigger) and trigger.authorizer):
            return None
        pool = service.user_pools[trigger.authorizer.user_pool]
        # moto serves the JWKS where Cognito does (issuer + /.well-known/jwks.json): in-process
        # at that very URL, in server mode under the pool id on its own endpoint.
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        base = f"{endpoint.rstrip('/')}/{pool.pool_id}" if endpoint else pool.issuer
        return JwtAuthorizer(
            issuer=pool.issuer,
            audience=(pool.client_ids[trigger.authorizer.client],),
            jwks_url=f"{base}/.well-known/jwks.json",
        )

    def _event_source(
        self, service: ProvisionedService, function: LocalFunction
    ) -> EventSource | None:
        trigger = function.spec.trigger
        if isinstance(trigger, SqsTrigger):
            url = service.queue_urls[trigger.queue]
            arn = self.client("sqs").get_queue_attributes(
                QueueUrl=url, AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            return SqsEventSource(
                self.client("sqs"),
                url,
                arn,
                function,
                batch_size=trigger.batch_size,
                region=self.settings.region,
            )
        if isinstance(trigger, StreamTrigger):
            return DynamoDbStreamEventSource(
                self.client("dynamodbstreams"),
                service.table_streams[trigger.table],
                function,
                batch_size=trigger.batch_size,
                max_retry_attempts=trigger.max_retry_attempts,
                event_names=trigger.event_names,
                region=self.settings.region,
            )
        if isinstance(trigger, ScheduleTrigger):
            return ScheduleEventSource(
                function, trigger.local_every_seconds, region=self.settings.region
            )
        return None

    def start(self) -> None:
        moto_patches.apply_all()  # also when moto runs in-process (tests), not as a server
        self.provision()
        self._tap = BusTap(
            self.client("events"),
            self.client("sqs"),
            self.settings.bus_name,
            self.names.physical("local", "bus-tap"),
        )
        self._ses_events = SesEventSimulator(
            (name for s in self.provisioned.values() for name in s.configuration_sets.values()),
            self.settings.region,
        )
        self._ses_events.install(boto3._get_default_session())  # the handlers' session
        self.load_functions()
        self._runner = EventSourceRunner([*self.sources, self.mailbox])
        self._runner.start()
        self._schedules = ScheduleFirer(
            (g for s in self.provisioned.values() for g in s.schedule_groups.values()),
            self.settings.region,
        )
        self._schedules.install(boto3._get_default_session())
        self._schedules.start()
        log.info(
            "local stack up: %d functions, %d event sources", len(self.functions), len(self.sources)
        )

    def stop(self) -> None:
        if self._schedules is not None:
            self._schedules.stop()
            self._schedules.uninstall()
            self._schedules = None
        if self._runner is not None:
            self._runner.stop()
            self._runner = None
        if self._mailbox is not None:
            self._mailbox.close()
        if self._ses_events is not None:
            self._ses_events.uninstall()
            self._ses_events = None
        if self.provisioned:
            stop_running_executions(self.client("stepfunctions"))
        for var, value in self._saved_env.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        self._saved_env.clear()

    @property
    def mailbox(self) -> Mailbox:
        if self._mailbox is None:
            topics = {
                arn: _RECIPIENTS.get(topic.subscriber, topic.subscriber)
                for s in self.provisioned.values()
                for topic in s.wiring.topics
                if (arn := s.topic_arns.get(topic.name))
            }
            self._mailbox = Mailbox(self.settings.region, topics)
        return self._mailbox

    @property
    def schedules(self) -> ScheduleFirer:
        """The timers (EventBridge Scheduler schedules) the stack fires, and what they sent."""
        if self._schedules is None:
            raise RuntimeError("the stack is not started")
        return self._schedules

    @property
    def tap(self) -> BusTap:
        """Every shop event on the bus since the stack started."""
        if self._tap is None:
            raise RuntimeError("the stack is not started")
        return self._tap

    def queue_urls(self) -> list[str]:
        return [url for s in self.provisioned.values() for url in s.queue_urls.values()]

    def busy_messages(self) -> int:
        """Messages in the services' queues, visible or being handled."""
        sqs = self.client("sqs")
        return sum(queue_depth(sqs, url) for url in self.queue_urls())

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        """Wait until no service queue holds a message, visible or in flight (twice in a row,
        so a handler that is just publishing has time to land its events)."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 2:
            busy = self.busy_messages()
            quiet = quiet + 1 if busy == 0 else 0
            if time.monotonic() > deadline:
                raise TimeoutError(f"{busy} message(s) still queued after {timeout} s")
            time.sleep(0.2)

    def customers(self) -> CustomerDirectory:
        """The customers who may call the HTTP API: the pool and client of its authorizer."""
        for wiring in self.services:
            for spec in wiring.functions:
                trigger = spec.trigger
                if isinstance(trigger, HttpApiTrigger) and trigger.authorizer:
                    pool = self.provisioned[wiring.name].user_pools[trigger.authorizer.user_pool]
                    return CustomerDirectory(
                        self.client("cognito-idp"),
                        pool.pool_id,
                        pool.client_ids[trigger.authorizer.client],
                    )
        raise LookupError("no HTTP API with an authorizer in this stack")

    @property
    def state_machine_arn(self) -> str:
        return next(iter(self.provisioned["workflow"].state_machine_arns.values()))

    def execution_status(self, order_id: str) -> str:
        """The status of an order's workflow execution (it is named by the order id)."""
        arn = self.state_machine_arn.replace(":stateMachine:", ":execution:") + f":{order_id}"
        return str(self.client("stepfunctions").describe_execution(executionArn=arn)["status"])

    def dlq_urls(self) -> dict[str, str]:
        """Every DLQ of the stack, by "<service>/<queue>"."""
        return {
            f"{name}/{queue}": url
            for name, service in self.provisioned.items()
            for queue, url in service.dlq_urls.items()
        }


@contextmanager
def running(stack: LocalStack) -> Iterator[LocalStack]:
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
