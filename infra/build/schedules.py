"""Schedule groups for the timers a service's functions set at run time (EventBridge Scheduler).

Each group gets the role Scheduler assumes to deliver: it may send to the group's target
queue and to that queue's DLQ (where Scheduler puts what it could not deliver), nothing else,
and only Scheduler acting for this account may assume it. The functions get the group's
name and the ARNs the schedules they create must name.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler

from infra.build.context import BuildContext
from infra.naming import pascal
from services.common.wiring import ScheduleGroup


def schedule_group(ctx: BuildContext, declared: ScheduleGroup) -> None:
    construct = pascal(declared.name)
    group = scheduler.ScheduleGroup(
        ctx.scope, f"{construct}ScheduleGroup", removal_policy=ctx.config.removal_policy
    )
    role = iam.Role(
        ctx.scope,
        f"{construct}SchedulerRole",
        assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": ctx.stack.account}},
        ),
        description=(
            f"{ctx.wiring.name}: EventBridge Scheduler delivers the {declared.name} timers "
            f"to the {declared.target_queue} queue (or its DLQ)."
        ),
    )
    queue, dlq = ctx.out.queues[declared.target_queue], ctx.out.dlqs[declared.target_queue]
    queue.grant_send_messages(role)
    dlq.grant_send_messages(role)
    ctx.out.schedule_groups[declared.name] = group
    ctx.out.scheduler_roles[declared.name] = role
    env = ctx.out.environment
    env[declared.group_env_var] = group.schedule_group_name
    env[declared.target_env_var] = queue.queue_arn
    env[declared.dlq_env_var] = dlq.queue_arn
    env[declared.role_env_var] = role.role_arn
