"""The SES adapter's request, and which failures mean "certainly not sent"."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from services.notifications.adapters.mailer import SesMailer
from services.notifications.domain.ports import EmailNotSentError, EmailRefusedError
from services.notifications.models import RenderedEmail

EMAIL = RenderedEmail(subject="Your order ord_1 has shipped", html="<p>Hi</p>", text="Hi")
TAGS = {"order_id": "ord_1", "kind": "shipment_confirmed", "claim_id": "c-1"}


class FakeSes:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.requests: list[dict[str, Any]] = []

    def send_email(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        if self.error:
            raise self.error
        return {"MessageId": "ses-1"}


def test_sends_simple_content_with_subject_html_and_text_from_the_sender() -> None:
    ses = FakeSes()

    message_id = SesMailer(ses, "shop@example.com", "shop-email").send(  # type: ignore[arg-type]
        "ada@example.com", EMAIL, tags=TAGS
    )

    assert message_id == "ses-1"
    [request] = ses.requests
    assert request["FromEmailAddress"] == "shop@example.com"
    assert request["Destination"] == {"ToAddresses": ["ada@example.com"]}
    simple = request["Content"]["Simple"]
    assert simple["Subject"]["Data"] == EMAIL.subject
    assert simple["Body"]["Html"]["Data"] == EMAIL.html
    assert simple["Body"]["Text"]["Data"] == EMAIL.text
    assert request["ConfigurationSetName"] == "shop-email"
    assert {t["Name"]: t["Value"] for t in request["EmailTags"]} == TAGS


@pytest.mark.parametrize(
    "code",
    [
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "BadRequestException",
    ],
)
def test_a_refusal_that_would_repeat_is_permanent(code: str) -> None:
    error = ClientError({"Error": {"Code": code, "Message": "no"}}, "SendEmail")

    with pytest.raises(EmailRefusedError, match=code):
        SesMailer(FakeSes(error), "shop@example.com", "shop-email").send(  # type: ignore[arg-type]
            "ada@example.com", EMAIL, tags=TAGS
        )


@pytest.mark.parametrize(
    "error",
    [
        ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "no"}}, "SendEmail"),
        ClientError({"Error": {"Code": "SendingPausedException", "Message": "no"}}, "SendEmail"),
        EndpointConnectionError(endpoint_url="https://email.us-east-1.amazonaws.com"),
    ],
    ids=["throttled", "paused", "unreachable"],
)
def test_a_refusal_that_may_pass_or_no_connection_is_certainly_not_sent(error: Exception) -> None:
    with pytest.raises(EmailNotSentError):
        SesMailer(FakeSes(error), "shop@example.com", "shop-email").send(  # type: ignore[arg-type]
            "ada@example.com", EMAIL, tags=TAGS
        )


def test_a_lost_answer_is_not_claimed_as_unsent() -> None:
    error = ReadTimeoutError(endpoint_url="https://email.us-east-1.amazonaws.com")

    with pytest.raises(ReadTimeoutError):
        SesMailer(FakeSes(error), "shop@example.com", "shop-email").send(  # type: ignore[arg-type]
            "ada@example.com", EMAIL, tags=TAGS
        )
