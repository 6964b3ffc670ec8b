"""State machines from their ASL files, with the service's resources substituted in."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn

from infra.build.context import BuildContext
from infra.build.permissions import put_events_statement
from infra.nag import suppress
from infra.naming import pascal
from infra.paths import REPO_ROOT
from services.common.asl import number_placeholders, render_numbers
from services.common.wiring import StateMachine


def state_machine(ctx: BuildContext, machine: StateMachine) -> None:
    # Step Functions delivers logs as a vended log source: under /aws/vendedlogs/ its
    # resource policy stays within CloudWatch Logs' size limit however many machines exist.
    log_group = ctx.log_group(
        f"{pascal(machine.name)}StateMachineLogs",
        name=f"/aws/vendedlogs/states/shop-{ctx.config.stage}-{ctx.wiring.name}-{machine.name}",
    )
    text = (REPO_ROOT / machine.definition_file).read_text(encoding="utf-8")
    values = {p: _substitution(ctx, source) for p, source in machine.substitutions.items()}
    # Numbers are rendered here (CloudFormation would substitute them as strings); the rest,
    # often tokens such as a queue URL, are left to CloudFormation.
    wanted = number_placeholders(text)
    numbers = {p: v for p, v in values.items() if p in wanted}
    texts = {p: v for p, v in values.items() if p not in wanted}
    created = sfn.StateMachine(
        ctx.scope,
        f"{pascal(machine.name)}StateMachine",
        state_machine_type=sfn.StateMachineType.STANDARD,
        definition_body=sfn.DefinitionBody.from_string(render_numbers(text, numbers)),
        definition_substitutions=texts,
        tracing_enabled=True,
        logs=sfn.LogOptions(
            destination=log_group,
            level=sfn.LogLevel.ALL,
            # State input carries task tokens and customer emails: never into logs.
            include_execution_data=False,
        ),
    )
    for queue in machine.sends_to_queues:
        ctx.out.queues[queue].grant_send_messages(created)
    if machine.puts_events:
        created.add_to_role_policy(put_events_statement(ctx))
    suppress(
        created,
        "IAM5",
        "Step Functions needs CloudWatch Logs vended log delivery (logs:CreateLogDelivery "
        "and its siblings, resource policies) and X-Ray trace upload, none of which "
        "support resource-level permissions.",
        finding="Resource::*",
    )
    ctx.out.state_machine_logs[machine.name] = log_group
    ctx.out.state_machines[machine.name] = created
    ctx.out.environment[machine.env_var] = created.state_machine_arn


def _substitution(ctx: BuildContext, source: str) -> str:
    kind, _, name = source.partition(":")
    if kind == "queue_url":
        return ctx.out.queues[name].queue_url
    if kind == "bus_name":
        return ctx.bus.event_bus_name
    if kind == "setting":
        return ctx.out.settings[name]
    raise ValueError(f"{ctx.wiring.name}: unknown substitution source {source!r}")
