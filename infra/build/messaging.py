"""Queues with their DLQs, bus rules (subscriptions), topics and SES configuration sets.

SES sender identities belong to the account, not to a stage: ``infra/stacks/account.py``.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Annotations, Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs

from infra.build.context import BuildContext
from infra.naming import pascal
from services.common.wiring import (
    EmailConfigurationSet,
    Queue,
    ServiceWiring,
    SqsTrigger,
    Subscription,
    Topic,
)

DLQ_RETENTION = Duration.days(14)
# AWS's guidance for SQS event sources: a visibility timeout of at least six times the
# function timeout, so a batch still being retried by Lambda is not handed out again.
VISIBILITY_PER_FUNCTION_TIMEOUT = 6
# The tag SES puts on every email event with the configuration set the email was sent with.
CONFIGURATION_SET_TAG = "ses:configuration-set"
EVENT_PATTERN_FIELDS = {
    "source": "source",
    "detail-type": "detail_type",
    "detail": "detail",
    "account": "account",
    "region": "region",
    "resources": "resources",
    "time": "time",
    "version": "version",
    "id": "id",
}


def event_pattern(pattern: dict[str, Any]) -> events.EventPattern:
    """A wiring pattern as CDK's typed pattern; it renders back to the same JSON."""
    unknown = pattern.keys() - EVENT_PATTERN_FIELDS.keys()
    if unknown:
        raise ValueError(f"event pattern fields CDK cannot express: {sorted(unknown)}")
    return events.EventPattern(**{EVENT_PATTERN_FIELDS[k]: v for k, v in pattern.items()})


def queue(ctx: BuildContext, declared: Queue) -> None:
    dlq = dead_letter_queue(ctx, f"{pascal(declared.name)}Dlq")
    created = sqs.Queue(
        ctx.scope,
        f"{pascal(declared.name)}Queue",
        visibility_timeout=Duration.seconds(visibility_timeout_seconds(ctx.wiring, declared)),
        dead_letter_queue=sqs.DeadLetterQueue(
            max_receive_count=declared.max_receive_count, queue=dlq
        ),
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )
    ctx.out.queues[declared.name] = created
    ctx.out.dlqs[declared.name] = dlq
    if declared.env_var:
        ctx.out.environment[declared.env_var] = created.queue_url


def visibility_timeout_seconds(wiring: ServiceWiring, declared: Queue) -> int:
    """The declared visibility timeout, raised to six times the longest timeout of the
    functions the queue triggers (the wiring's number is a floor, not a ceiling)."""
    consumers = [
        fn.timeout_seconds
        for fn in wiring.functions
        if isinstance(fn.trigger, SqsTrigger) and fn.trigger.queue == declared.name
    ]
    needed = VISIBILITY_PER_FUNCTION_TIMEOUT * max(consumers, default=0)
    return max(declared.visibility_timeout_seconds, needed)


def dead_letter_queue(ctx: BuildContext, construct_id: str) -> sqs.Queue:
    """A queue that only holds what failed: kept for the longest retention SQS allows."""
    return sqs.Queue(
        ctx.scope,
        construct_id,
        retention_period=DLQ_RETENTION,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
    )


def rule(ctx: BuildContext, declared: Subscription) -> None:
    bus = (
        # AWS services (SES's email events) publish only to the account's default bus.
        events.EventBus.from_event_bus_name(ctx.scope, f"{pascal(declared.name)}Bus", "default")
        if declared.on_default_bus
        else ctx.bus
    )
    ctx.out.rules[declared.name] = events.Rule(
        ctx.scope,
        f"{pascal(declared.name)}Rule",
        event_bus=bus,
        # Tests and operators find a subscription by this text.
        description=f"{ctx.wiring.name} subscription {declared.name} -> queue {declared.queue}",
        event_pattern=event_pattern(_stage_pattern(ctx, declared)),
        targets=[
            targets.SqsQueue(
                ctx.out.queues[declared.queue],
                # Events EventBridge cannot deliver land beside the consumer's failures.
                dead_letter_queue=ctx.out.dlqs[declared.queue],
            )
        ],
    )


def topic(ctx: BuildContext, declared: Topic) -> None:
    name = declared.name
    address = ctx.config.contact(declared.subscriber)
    if declared.optional and not address:
        return  # nobody to tell: the functions do without (no environment variable)
    created = sns.Topic(
        ctx.scope,
        f"{pascal(name)}Topic",
        display_name=f"shop {ctx.wiring.name} {name}",
        # SNS's AWS-managed key: encrypted at rest without a key to administer.
        master_key=kms.Alias.from_alias_name(ctx.scope, f"{pascal(name)}TopicKey", "alias/aws/sns"),
        enforce_ssl=True,
    )
    if address:
        created.add_subscription(subscriptions.EmailSubscription(address))
    else:
        # Without it the deploy would succeed, nobody would be asked, and every order
        # would be cancelled when its approval window closed.
        Annotations.of(ctx.stack).add_error(
            f"{ctx.wiring.name}: no owner_email, so nobody would receive the {name} topic "
            "(the owner's approval requests). Pass it with `-c owner_email=owner@example.com` "
            "or in cdk.json."
        )
    ctx.out.topics[name] = created
    ctx.out.environment[declared.env_var] = created.topic_arn


def _stage_pattern(ctx: BuildContext, declared: Subscription) -> dict[str, Any]:
    """The subscription's pattern; on the default bus, where every stage's SES events land,
    narrowed to the emails this service sent with its own configuration sets."""
    if not (declared.on_default_bus and ctx.out.configuration_sets):
        return declared.pattern
    names = [c.configuration_set_name for c in ctx.out.configuration_sets.values()]
    detail = declared.pattern.get("detail", {})
    mail = {**detail.get("mail", {}), "tags": {CONFIGURATION_SET_TAG: names}}
    return {**declared.pattern, "detail": {**detail, "mail": mail}}


def configuration_set(ctx: BuildContext, declared: EmailConfigurationSet) -> None:
    """The SES configuration set every send names, publishing its email events to the
    account's default bus (the only bus SES delivers to)."""
    construct = pascal(declared.name)
    created = ses.ConfigurationSet(ctx.scope, f"{construct}ConfigurationSet")
    created.add_event_destination(
        f"{construct}ToDefaultBus",
        destination=ses.EventDestination.event_bus(
            events.EventBus.from_event_bus_name(ctx.scope, f"{construct}DefaultBus", "default")
        ),
        events=[getattr(ses.EmailSendingEvent, name) for name in declared.event_types],
    )
    ctx.out.configuration_sets[declared.name] = created
    ctx.out.environment[declared.env_var] = created.configuration_set_name
