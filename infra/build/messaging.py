"""Queues with their DLQs, bus rules (subscriptions), topics and email sender identities."""

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
from services.common.wiring import EmailConfigurationSet, Queue, Subscription, Topic

DLQ_RETENTION = Duration.days(14)
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
        visibility_timeout=Duration.seconds(declared.visibility_timeout_seconds),
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
        event_pattern=event_pattern(declared.pattern),
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
    created = sns.Topic(
        ctx.scope,
        f"{pascal(name)}Topic",
        display_name=f"shop {ctx.wiring.name} {name}",
        # SNS's AWS-managed key: encrypted at rest without a key to administer.
        master_key=kms.Alias.from_alias_name(ctx.scope, f"{pascal(name)}TopicKey", "alias/aws/sns"),
        enforce_ssl=True,
    )
    if ctx.config.owner_email:
        created.add_subscription(subscriptions.EmailSubscription(ctx.config.owner_email))
    else:
        Annotations.of(created).add_warning_v2(
            "shop:no-owner-email",
            f"No owner_email in context: nobody is subscribed to the {name} topic.",
        )
    ctx.out.topics[name] = created
    ctx.out.environment[declared.env_var] = created.topic_arn


def sender_identity(ctx: BuildContext, setting: str) -> None:
    address = ctx.out.settings[setting]
    if ctx.config.create_ses_identities and "@" in address:
        ses.EmailIdentity(
            ctx.scope,
            f"{pascal(setting)}Identity",
            identity=ses.Identity.email(address),
        )


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
    ctx.out.environment[declared.env_var] = created.configuration_set_name
