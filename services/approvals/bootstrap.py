"""Turns the approvals settings into the adapters each of its functions needs.

Each builder reads only the settings its function has and makes the clients; the handler
caches the result, so it happens once per execution environment, on first use (importing a
handler stays cheap, and reloading one, as the local stack does for a new stack, rebuilds it).
"""

from __future__ import annotations

from datetime import timedelta

import boto3

from services.approvals.adapters.notifier import SnsOwnerNotifier, SnsReminderNotifier
from services.approvals.adapters.publisher import bus_publisher
from services.approvals.adapters.signing_key import SecretKeyring
from services.approvals.adapters.table import DynamoApprovalStore
from services.approvals.adapters.timers import SchedulerReminderTimers, ScheduleTarget
from services.approvals.domain.answering import DecisionDependencies
from services.approvals.domain.reminders import (
    ReminderDependencies,
    ReminderSchedule,
    parse_points,
)
from services.approvals.domain.requests import LinkSettings, RequestDependencies
from services.approvals.links import LinkSigner
from services.approvals.settings import DecisionSettings, ReminderSettings, RequestSettings


def request_dependencies() -> RequestDependencies:
    """What the function that opens and closes approvals (and answers customers'
    cancellations) needs."""
    settings = RequestSettings.from_env()
    return RequestDependencies(
        store=_store(settings),
        notifier=SnsOwnerNotifier(boto3.client("sns"), settings.approvals_owner_topic_arn),
        signer=_signer(settings),
        links=LinkSettings(
            settings.approvals_base_url,
            settings.approvals_link_grace_seconds,
            timedelta(seconds=settings.approvals_decision_margin_seconds),
        ),
        publisher=bus_publisher(boto3.client("events"), settings.event_bus_name),
        reminders=_reminder_schedule(settings),
    )


def reminder_dependencies() -> ReminderDependencies:
    """What the function that sends reminders (and asks the backup approver) needs."""
    settings = ReminderSettings.from_env()
    sns = boto3.client("sns")
    backup = settings.approvals_backup_topic_arn
    return ReminderDependencies(
        store=_store(settings),
        owner=SnsReminderNotifier(sns, settings.approvals_owner_topic_arn),
        backup=SnsReminderNotifier(sns, backup) if backup else None,
        publisher=bus_publisher(boto3.client("events"), settings.event_bus_name),
        signer=_signer(settings),
        base_url=settings.approvals_base_url,
    )


def decision_dependencies() -> DecisionDependencies:
    """What the public decision function needs (it cannot notify anyone)."""
    settings = DecisionSettings.from_env()
    return DecisionDependencies(
        store=_store(settings),
        publisher=bus_publisher(boto3.client("events"), settings.event_bus_name),
        signer=_signer(settings),
        timers=_timers(settings),
    )


def _timers(
    settings: DecisionSettings, target: ScheduleTarget | None = None
) -> SchedulerReminderTimers | None:
    """The reminder timers; None when the service has no schedule group (no reminders)."""
    if not settings.approvals_reminders_group:
        return None
    return SchedulerReminderTimers(
        boto3.client("scheduler"),
        group=settings.approvals_reminders_group,
        planned=len(parse_points(settings.approvals_reminder_points)),
        target=target,
    )


def _reminder_schedule(settings: RequestSettings) -> ReminderSchedule | None:
    """The reminders an approval gets when it opens; None without points or a target."""
    points = parse_points(settings.approvals_reminder_points)
    arn = settings.approvals_reminders_target_arn
    role = settings.approvals_reminders_role_arn
    dlq = settings.approvals_reminders_dlq_arn
    if not (points and arn and role and dlq):
        return None
    timers = _timers(settings, ScheduleTarget(arn, role, dlq))
    return ReminderSchedule(timers, points) if timers else None


def _store(settings: DecisionSettings) -> DynamoApprovalStore:
    return DynamoApprovalStore(boto3.client("dynamodb"), settings.approvals_table_name)


def _signer(settings: DecisionSettings) -> LinkSigner:
    keys = SecretKeyring(boto3.client("secretsmanager"), settings.approvals_signing_key_secret)
    return LinkSigner(keys)
