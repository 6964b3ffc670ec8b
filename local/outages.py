"""An AWS operation refused for a while, as in a regional outage: ``PutEvents`` on the bus,
``SendEmail`` on SES. Installed on boto3's default session, where every handler's clients
(and moto's Step Functions' own) come from, the call is answered without reaching moto:
SendEmail with 503 ServiceUnavailable; PutEvents the way EventBridge reports a failure it
has, every entry failed with ``InternalFailure`` (so publishers and Step Functions'
``EventBridge.FailedEntry`` see what they would see in AWS). Used by tests and the bench.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse, HTTPHeaders


class Outage:
    def __init__(self, service: str, operation: str, *, failed_entries: bool = False) -> None:
        self._failed_entries = failed_entries
        self.event = f"before-call.{service}.{operation}"
        self.operation = operation
        self._until = 0.0
        self._id = f"outage-{uuid.uuid4()}"
        self._session: boto3.session.Session | None = None
        self._lock = threading.Lock()
        self.refused = 0

    def install(self, session: boto3.session.Session | None = None) -> Outage:
        self._session = session or boto3._get_default_session()
        # A before-call handler's return value replaces the call (botocore's contract).
        self._session.events.register_first(self.event, self._refuse, unique_id=self._id)  # type: ignore[arg-type]
        return self

    def uninstall(self) -> None:
        if self._session is not None:
            self._session.events.unregister(self.event, unique_id=self._id)
            self._session = None

    def start(self, seconds: float) -> None:
        with self._lock:
            self._until = time.monotonic() + seconds

    def end(self) -> None:
        with self._lock:
            self._until = 0.0

    @property
    def active(self) -> bool:
        return time.monotonic() < self._until

    def _refuse(
        self, params: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not self.active:
            return None
        with self._lock:
            self.refused += 1
        if self._failed_entries:
            entries = json.loads(params.get("body") or b"{}").get("Entries", [])
            failed = {"ErrorCode": "InternalFailure", "ErrorMessage": f"{self.operation} is down"}
            ok = {"FailedEntryCount": len(entries), "Entries": [failed for _ in entries]}
            return AWSResponse("https://outage.local", 200, HTTPHeaders(), None), ok
        parsed = {
            "Error": {"Code": "ServiceUnavailable", "Message": f"{self.operation} is down"},
            "ResponseMetadata": {"HTTPStatusCode": 503},
        }
        return AWSResponse("https://outage.local", 503, HTTPHeaders(), None), parsed


def bus_outage() -> Outage:
    return Outage("eventbridge", "PutEvents", failed_entries=True)


def ses_outage() -> Outage:
    return Outage("sesv2", "SendEmail")
