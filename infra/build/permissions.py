"""One role per function, starting empty, and the grants the wiring declares for it."""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from infra.build.context import BuildContext
from infra.nag import suppress
from infra.naming import event_source, pascal
from services.common.wiring import Access, Function, StreamTrigger

# Actions AWS offers no resource-level permissions for; they are the only "*" resources.
UNSCOPED_ACTIONS = {
    "xray:PutTraceSegments": "X-Ray trace upload",
    "xray:PutTelemetryRecords": "X-Ray trace upload",
    "states:SendTaskSuccess": "Step Functions task results (a task token names no resource)",
    "states:SendTaskFailure": "Step Functions task results (a task token names no resource)",
    "dynamodb:ListStreams": "DynamoDB stream listing for the event source mapping",
}


def role(ctx: BuildContext, fn: Function) -> iam.Role:
    created = iam.Role(
        ctx.scope,
        f"{pascal(fn.name)}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"{ctx.wiring.name}/{fn.name}: {fn.description}"[:1000],
    )
    ctx.out.roles[fn.name] = created
    return created


def grant(ctx: BuildContext, fn: Function) -> None:
    out, wanted = ctx.out, fn.permissions
    created, fn_role = out.functions[fn.name], out.roles[fn.name]
    for table, access in wanted.tables.items():
        grant_access = {
            Access.READ: out.tables[table].grant_read_data,
            Access.WRITE: out.tables[table].grant_write_data,
            Access.READ_WRITE: out.tables[table].grant_read_write_data,
        }[access]
        grant_access(created)
        _suppress_index_grant(ctx, fn, table)
    for queue in wanted.send_to_queues:
        out.queues[queue].grant_send_messages(created)
    for topic in wanted.publish_to_topics:
        if topic in out.topics:  # an optional topic nobody was configured for is not built
            out.topics[topic].grant_publish(created)
    for group in wanted.create_schedules:
        out.schedule_groups[group].grants.write_schedules(created)
        # A schedule names the role Scheduler assumes: creating one passes that role.
        out.scheduler_roles[group].grant_pass_role(fn_role)
        _suppress_schedule_grant(ctx, fn, group)
    for group in wanted.delete_schedules:
        out.schedule_groups[group].grants.delete_schedules(created)
        _suppress_schedule_grant(ctx, fn, group)
    for secret in wanted.read_secrets:
        out.secrets[secret].grant_read(created)
    if wanted.put_events:
        fn_role.add_to_principal_policy(put_events_statement(ctx))
    for machine in wanted.start_executions:
        out.state_machines[machine].grant_start_execution(created)
    if wanted.send_task_results:
        fn_role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["states:SendTaskSuccess", "states:SendTaskFailure"],
                resources=["*"],
            )
        )
    if wanted.send_email:
        fn_role.add_to_principal_policy(
            iam.PolicyStatement(actions=["ses:SendEmail"], resources=_email_identity_arns(ctx, fn))
        )
    _acknowledge_unscoped(ctx, fn)


def put_events_statement(ctx: BuildContext) -> iam.PolicyStatement:
    """PutEvents on the stage's bus with the service's own source only: no function or
    state machine can publish another producer's events (an ``OrderApproved`` from orders)."""
    return iam.PolicyStatement(
        actions=["events:PutEvents"],
        resources=[ctx.bus.event_bus_arn],
        conditions={"StringEquals": {"events:source": event_source(ctx.wiring.name)}},
    )


def _email_identity_arns(ctx: BuildContext, fn: Function) -> list[str]:
    if not ctx.wiring.email_sender_settings:
        raise ValueError(
            f"{ctx.wiring.name}/{fn.name} sends email but the wiring declares no "
            "email_sender_settings to scope ses:SendEmail to"
        )
    identities: list[str] = []
    for setting in ctx.wiring.email_sender_settings:
        address = ctx.out.settings[setting]
        # SES authorises against the address identity or, when only the domain is
        # verified, the domain identity.
        identities += [address, address.rpartition("@")[2]]
    # In the SES sandbox every recipient is an identity SES authorises too.
    identities += ctx.config.ses_sandbox_recipients
    # A send naming a configuration set is authorised against the set as well.
    configuration_sets = [
        ctx.stack.format_arn(
            service="ses",
            resource="configuration-set",
            resource_name=ctx.out.environment[declared.env_var],
        )
        for declared in ctx.wiring.email_configuration_sets
    ]
    return [
        ctx.stack.format_arn(service="ses", resource="identity", resource_name=identity)
        for identity in dict.fromkeys(identities)
    ] + configuration_sets


def _acknowledge_unscoped(ctx: BuildContext, fn: Function) -> None:
    actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    if fn.permissions.send_task_results:
        actions += ["states:SendTaskSuccess", "states:SendTaskFailure"]
    if isinstance(fn.trigger, StreamTrigger):
        actions.append("dynamodb:ListStreams")
    reasons = sorted({UNSCOPED_ACTIONS[a] for a in actions})
    suppress(
        ctx.out.roles[fn.name],
        "IAM5",
        f"Resource '*' only for actions without resource-level permissions: "
        f"{'; '.join(reasons)} ({', '.join(actions)}).",
        finding="Resource::*",
    )


def _suppress_schedule_grant(ctx: BuildContext, fn: Function, group: str) -> None:
    """Schedules are created at run time with names of their own (one per timer), so the
    grant covers the group's schedules, and only that group's."""
    name = ctx.out.schedule_groups[group].schedule_group_name
    suppress(
        ctx.out.roles[fn.name],
        "IAM5",
        f"Timers are schedules named at run time (one per reminder), so the grant covers "
        f"every schedule of the service's own {group} schedule group and no other group.",
        finding=(
            "Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:"
            f"schedule/{name}/*"
        ),
    )


def _suppress_index_grant(ctx: BuildContext, fn: Function, table: str) -> None:
    """CDK's table grants include ``<table>/index/*``: the table's own indexes, all of them
    declared in the wiring, and none of another table's."""
    if not ctx.wiring.table(table).indexes:
        return
    resource = ctx.out.tables[table].node.default_child
    assert resource is not None
    arn = ctx.stack.resolve(ctx.stack.get_logical_id(resource))  # type: ignore[arg-type]
    suppress(
        ctx.out.roles[fn.name],
        "IAM5",
        f"CDK's grant on the {table} table covers its own global secondary indexes "
        "(index/*), every one of them declared in the service's wiring.",
        finding=f"Resource::<{arn}.Arn>/index/*",
    )
