"""SES's email events (from the configuration set, via EventBridge) as delivery reports.

SES sends one event per email and recipient: ``detail.eventType`` says what happened and
``detail.mail.tags`` carries the tags the mailer set (order id, kind, claim id), which is how
a report finds its ledger entry. Emails without those tags (another sender in the account)
are not ours and give no report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from services.common.errors import field_problems
from services.notifications.models import DeliveryReport, EmailKind, LedgerStatus

STATUS_OF_EVENT: dict[str, LedgerStatus] = {
    "Send": "sent",
    "Delivery": "delivered",
    "Bounce": "failed",
    "Complaint": "complained",
    "Reject": "failed",
}


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class SesMail(_Loose):
    messageId: str
    timestamp: AwareDatetime
    tags: dict[str, list[str]] = {}


class SesBounce(_Loose):
    bounceType: str
    bounceSubType: str
    timestamp: AwareDatetime | None = None


class SesComplaint(_Loose):
    complaintFeedbackType: str | None = None
    timestamp: AwareDatetime | None = None


class SesDelivery(_Loose):
    timestamp: AwareDatetime | None = None


class SesReject(_Loose):
    reason: str


class SesEventDetail(_Loose):
    eventType: str
    mail: SesMail
    bounce: SesBounce | None = None
    complaint: SesComplaint | None = None
    delivery: SesDelivery | None = None
    reject: SesReject | None = None


class MalformedSesEventError(ValueError):
    """Not an SES email event we can read; the message names fields, never values."""


def delivery_report(detail: Any, at: datetime) -> DeliveryReport | None:
    """The report for one SES event detail; None when it is not about one of our emails or
    says nothing the ledger keeps (opens, clicks, delays).

    ``at`` (the EventBridge event's time, whole seconds) is when it happened unless the
    detail says so more precisely: the outcome's own timestamp, or the mail's for a send.
    """
    try:
        event = SesEventDetail.model_validate(detail)
    except ValidationError as error:
        raise MalformedSesEventError(f"malformed SES event: {field_problems(error)}") from None
    status = STATUS_OF_EVENT.get(event.eventType)
    tags = {name: values[0] for name, values in event.mail.tags.items() if values}
    if status is None or not {"order_id", "kind"} <= tags.keys():
        return None
    try:
        kind = EmailKind(tags["kind"])
    except ValueError:
        return None
    return DeliveryReport(
        order_id=tags["order_id"],
        kind=kind,
        status=status,
        at=_when(event) or at,
        message_id=event.mail.messageId,
        reason=_reason(event),
    )


def _when(event: SesEventDetail) -> datetime | None:
    if event.eventType == "Send":
        return event.mail.timestamp
    for outcome in (event.delivery, event.bounce, event.complaint):
        if outcome is not None and outcome.timestamp is not None:
            return outcome.timestamp
    return None


def _reason(event: SesEventDetail) -> str | None:
    if event.bounce is not None:
        return f"bounced: {event.bounce.bounceType}/{event.bounce.bounceSubType}"
    if event.complaint is not None:
        return f"complaint: {event.complaint.complaintFeedbackType or 'unspecified'}"
    if event.reject is not None:
        return f"rejected: {event.reject.reason}"
    return None
