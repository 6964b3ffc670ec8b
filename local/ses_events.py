"""SES's configuration-set events, emulated: moto sends email but never publishes events.

The local stack installs this on boto3's default session, where every handler's clients come
from. After each successful SESv2 ``SendEmail`` that names a configuration set the wiring
declares, it puts the events SES would put on the account's default bus ("Email Sent", then
the outcome), answering as SES's mailbox simulator does: ``bounce@simulator.amazonses.com``
bounces (permanent), ``complaint@simulator.amazonses.com`` is delivered and complains, any
other address is delivered. The events go out through a client of its own session, so
faults injected into the handlers' clients (``shop bench``) do not touch them.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import boto3

from local.provision import DEFAULT_BUS

log = logging.getLogger("shop.local.ses")

BOUNCE_ADDRESS = "bounce@simulator.amazonses.com"
COMPLAINT_ADDRESS = "complaint@simulator.amazonses.com"
ACCOUNT = "123456789012"
_PARAMS = "shop_local_ses_request"


class SesEventSimulator:
    def __init__(self, configuration_sets: Iterable[str], region: str) -> None:
        self._sets = frozenset(configuration_sets)
        self._region = region
        self._events = boto3.session.Session(region_name=region).client("events")
        self._id = f"ses-events-{uuid.uuid4()}"
        self._session: boto3.session.Session | None = None
        self.published = 0

    def install(self, session: boto3.session.Session) -> None:
        session.events.register(
            "before-parameter-build.sesv2.SendEmail", self._remember, unique_id=f"{self._id}-p"
        )
        session.events.register(
            "after-call.sesv2.SendEmail", self._after_send, unique_id=f"{self._id}-c"
        )
        self._session = session

    def uninstall(self) -> None:
        if self._session is not None:
            self._session.events.unregister(
                "before-parameter-build.sesv2.SendEmail", unique_id=f"{self._id}-p"
            )
            self._session.events.unregister("after-call.sesv2.SendEmail", unique_id=f"{self._id}-c")
            self._session = None

    def _remember(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS] = dict(params)

    def _after_send(
        self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        request = context.get(_PARAMS)
        if request is None or http_response.status_code >= 300:
            return
        configuration_set = request.get("ConfigurationSetName")
        if configuration_set not in self._sets:
            return
        entries = [
            entry
            for to in request.get("Destination", {}).get("ToAddresses", [])
            for entry in self.events_for(request, str(parsed["MessageId"]), to)
        ]
        response = self._events.put_events(Entries=entries)
        self.published += len(entries) - int(response.get("FailedEntryCount", 0))

    def events_for(self, request: dict[str, Any], message_id: str, to: str) -> list[Any]:
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        tags = {t["Name"]: [t["Value"]] for t in request.get("EmailTags", [])}
        tags["ses:configuration-set"] = [request["ConfigurationSetName"]]
        mail = {
            "timestamp": now,
            "source": request.get("FromEmailAddress", ""),
            "sendingAccountId": ACCOUNT,
            "messageId": message_id,
            "destination": [to],
            "tags": tags,
        }
        outcomes: list[tuple[str, dict[str, Any]]] = [("Email Sent", {"eventType": "Send"})]
        if to.lower() == BOUNCE_ADDRESS:
            outcomes.append(("Email Bounced", _bounce(to, now)))
        else:
            outcomes.append(("Email Delivered", _delivery(to, now)))
            if to.lower() == COMPLAINT_ADDRESS:
                outcomes.append(("Email Complaint Received", _complaint(to, now)))
        return [
            {
                "EventBusName": DEFAULT_BUS,
                "Source": "aws.ses",
                "DetailType": detail_type,
                "Resources": [
                    f"arn:aws:ses:{self._region}:{ACCOUNT}:configuration-set/"
                    + request["ConfigurationSetName"]
                ],
                "Detail": json.dumps({**detail, "mail": mail}),
            }
            for detail_type, detail in outcomes
        ]


def _bounce(to: str, now: str) -> dict[str, Any]:
    return {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": to,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
            "timestamp": now,
            "feedbackId": str(uuid.uuid4()),
        },
    }


def _delivery(to: str, now: str) -> dict[str, Any]:
    return {
        "eventType": "Delivery",
        "delivery": {
            "timestamp": now,
            "recipients": [to],
            "processingTimeMillis": 1,
            "smtpResponse": "250 2.6.0 Message received",
        },
    }


def _complaint(to: str, now: str) -> dict[str, Any]:
    return {
        "eventType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": to}],
            "timestamp": now,
            "feedbackId": str(uuid.uuid4()),
            "complaintFeedbackType": "abuse",
        },
    }
