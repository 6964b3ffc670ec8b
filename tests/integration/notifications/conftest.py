"""The notifications service provisioned on moto from its wiring, with a verified sender."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from local.provision import ProvisionedService, provision
from services.notifications.handlers import email as email_handler
from services.notifications.wiring import WIRING

REGION = "us-east-1"
UNSUBSCRIBE_URL = "https://unsubscribe1234.lambda-url.us-east-1.on.aws"


@dataclass
class Outbox:
    """What the handler asked SES to send (every field, text included) and what moto kept."""

    requests: list[dict[str, Any]] = field(default_factory=list)

    def record(self, params: dict[str, Any], **_: Any) -> None:
        self.requests.append(copy.deepcopy(params))

    @property
    def delivered(self) -> list[Any]:
        # moto.ses.models.Message: .source, .destinations, .subject, .body (the HTML part)
        return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


@pytest.fixture
def notifications(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProvisionedService]:
    provisioned = provision(WIRING, function_urls={"notifications/unsubscribe": UNSUBSCRIBE_URL})
    for name, value in provisioned.env.items():
        monkeypatch.setenv(name, value)
    # Provisioning step the wiring cannot declare: SES sends only from verified identities.
    boto3.client("sesv2").create_email_identity(
        EmailIdentity=provisioned.env["NOTIFICATIONS_SENDER_EMAIL"]
    )
    email_handler.dependencies.cache_clear()
    yield provisioned
    email_handler.dependencies.cache_clear()


@pytest.fixture
def outbox(notifications: ProvisionedService) -> Iterator[Outbox]:
    """Sees every SendEmail request of clients created from now on (the handler's included)."""
    recorder = Outbox()
    previous = boto3.DEFAULT_SESSION
    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    boto3.DEFAULT_SESSION.events.register("before-parameter-build.sesv2.SendEmail", recorder.record)
    yield recorder
    boto3.DEFAULT_SESSION = previous
