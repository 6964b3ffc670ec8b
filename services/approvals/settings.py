"""The approvals functions' settings, read once from the environment."""

from __future__ import annotations

from pydantic import Field

from services.common.settings import ServiceSettings

DEFAULT_LINK_GRACE_SECONDS = 7 * 24 * 3600
# Decisions stop this long before the workflow's deadline, so that one confirmed to the owner
# still crosses the bus and the relay before the workflow's timer fires.
DEFAULT_DECISION_MARGIN_SECONDS = 5 * 60


DEFAULT_REMINDER_POINTS = "50,90"
REMINDER_POINTS_PATTERN = r"^([1-9][0-9]?)(,[1-9][0-9]?)*$|^$"


class DecisionSettings(ServiceSettings):
    """What the public decision function needs (and nothing more: it cannot notify anyone)."""

    approvals_table_name: str
    approvals_signing_key_secret: str = Field(description="Name or ARN of the link-signing key.")
    # Where the reminder timers live, so a decision can delete the ones still to come.
    approvals_reminders_group: str | None = None
    approvals_reminder_points: str = Field(
        default=DEFAULT_REMINDER_POINTS, pattern=REMINDER_POINTS_PATTERN
    )


class RequestSettings(DecisionSettings):
    """What the function that opens approvals and writes the owner's links needs."""

    approvals_owner_topic_arn: str
    approvals_base_url: str = Field(
        pattern=r"^https?://[^\s?#]+$", description="Public base URL of the decision function."
    )
    # Links outlive the deadline so a late click explains what happened instead of a 410.
    approvals_link_grace_seconds: int = Field(default=DEFAULT_LINK_GRACE_SECONDS, ge=0)
    approvals_decision_margin_seconds: int = Field(default=DEFAULT_DECISION_MARGIN_SECONDS, ge=0)
    # The reminder timers' target (queue, role Scheduler assumes, DLQ); none: no reminders.
    approvals_reminders_target_arn: str | None = None
    approvals_reminders_role_arn: str | None = None
    approvals_reminders_dlq_arn: str | None = None


class ReminderSettings(RequestSettings):
    """The reminder function: writes links like the request function, may also ask the
    backup approver (when one is configured) and publishes what it did."""

    approvals_backup_topic_arn: str | None = None
