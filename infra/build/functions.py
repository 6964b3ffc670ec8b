"""Lambda functions: their shared environment, code asset and layers, and their triggers."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources

from infra import lambda_code
from infra.build import api, permissions
from infra.build.context import BuildContext
from infra.build.messaging import dead_letter_queue
from infra.nag import suppress
from infra.naming import pascal
from services.common.wiring import (
    METRICS_NAMESPACE_ENV_VAR,
    Function,
    FunctionUrlTrigger,
    HttpApiTrigger,
    ScheduleTrigger,
    SqsTrigger,
    StreamTrigger,
)


def complete_environment(ctx: BuildContext) -> None:
    """Add settings and fixed values to the resource names gathered so far.

    As in the local provisioner, every function sees the whole service's environment; the
    metrics namespace is the stage's, so two stages' dashboards never add up each other.
    """
    for setting in ctx.wiring.settings:
        if setting.env_var:
            ctx.out.environment[setting.env_var] = ctx.out.settings[setting.name]
    for fn in ctx.wiring.functions:
        ctx.out.environment.update(fn.environment)
    ctx.out.environment[METRICS_NAMESPACE_ENV_VAR] = ctx.config.metrics_namespace


def functions(ctx: BuildContext) -> None:
    code = lambda_code.source_code()
    layers: list[lambda_.ILayerVersion] = [lambda_code.dependencies_layer(ctx.scope)]
    for fn in ctx.wiring.functions:
        _function(ctx, fn, code, layers)


def trigger(ctx: BuildContext, fn: Function) -> None:
    created = ctx.out.functions[fn.name]
    declared = fn.trigger
    if isinstance(declared, SqsTrigger):
        created.add_event_source(
            sources.SqsEventSource(
                ctx.out.queues[declared.queue],
                batch_size=declared.batch_size,
                max_batching_window=(
                    Duration.seconds(declared.max_batching_window_seconds)
                    if declared.max_batching_window_seconds
                    else None
                ),
                report_batch_item_failures=True,
            )
        )
    elif isinstance(declared, StreamTrigger):
        failures = dead_letter_queue(ctx, f"{pascal(fn.name)}StreamFailures")
        suppress(
            failures,
            "SQS3",
            "This queue is the on-failure destination of a DynamoDB stream mapping, "
            "holding records whose retries are exhausted; it is the dead-letter queue.",
        )
        ctx.out.failure_queues[fn.name] = failures
        created.add_event_source(
            sources.DynamoEventSource(
                ctx.out.tables[declared.table],
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=declared.batch_size,
                bisect_batch_on_error=True,
                retry_attempts=declared.max_retry_attempts,
                report_batch_item_failures=True,
                on_failure=sources.SqsDlq(failures),
                filters=[
                    lambda_.FilterCriteria.filter(
                        {"eventName": lambda_.FilterRule.or_(*declared.event_names)}
                    )
                ]
                if declared.event_names
                else None,
            )
        )
    elif isinstance(declared, ScheduleTrigger):
        events.Rule(
            ctx.scope,
            f"{pascal(fn.name)}Schedule",
            description=f"Runs {ctx.wiring.name}/{fn.name} on its schedule.",
            schedule=events.Schedule.rate(Duration.seconds(declared.every_seconds)),
            targets=[targets.LambdaFunction(created)],
        )
    elif isinstance(declared, HttpApiTrigger):
        api.routes(ctx, fn, declared)
    elif isinstance(declared, FunctionUrlTrigger):
        api.function_url(ctx, fn)


def _function(
    ctx: BuildContext, fn: Function, code: lambda_.Code, layers: list[lambda_.ILayerVersion]
) -> None:
    construct = pascal(fn.name)
    log_group = ctx.log_group(f"{construct}Logs")
    role = permissions.role(ctx, fn)
    log_group.grant_write(role)
    created = lambda_.Function(
        ctx.scope,
        f"{construct}Function",
        description=fn.description,
        runtime=lambda_code.RUNTIME,
        architecture=lambda_code.ARCHITECTURE,
        handler=fn.handler,
        code=code,
        layers=layers,
        memory_size=fn.memory_mb,
        timeout=Duration.seconds(fn.timeout_seconds),
        environment=dict(ctx.out.environment),
        role=role,
        log_group=log_group,
        tracing=lambda_.Tracing.ACTIVE,
        reserved_concurrent_executions=fn.reserved_concurrency,
    )
    suppress(
        created,
        "L1",
        "Python 3.12 is pinned on purpose: the dependency layer (Powertools included) is "
        "built for python3.12, and a runtime upgrade is a reviewed change.",
    )
    ctx.out.functions[fn.name] = created
    ctx.out.function_logs[fn.name] = log_group
