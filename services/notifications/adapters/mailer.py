"""Sends rendered emails with SES v2 (``SendEmail``, simple content: subject, HTML, text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from services.notifications.domain.ports import EmailNotSentError
from services.notifications.models import RenderedEmail

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

# No client-side retries: botocore would resend after a read timeout, when SES may already
# have accepted the email. Retries happen one level up, through the queue, where the ledger
# guards them. Timeouts stay well inside the function's timeout.
SES_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    connect_timeout=2,
    read_timeout=5,
)


class SesMailer:
    def __init__(self, client: SESV2Client, sender: str) -> None:
        self._client = client
        self._sender = sender

    def send(self, to: str, email: RenderedEmail) -> str:
        try:
            response = self._client.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [to]},
                Content={
                    "Simple": {
                        "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                        "Body": {
                            "Html": {"Data": email.html, "Charset": "UTF-8"},
                            "Text": {"Data": email.text, "Charset": "UTF-8"},
                        },
                    }
                },
            )
        # An error answer from SES, or no connection at all: nothing was sent. Anything else
        # (a read timeout, a connection closed mid-request) propagates as "outcome unknown".
        except (ClientError, BotocoreConnectionError) as error:
            raise EmailNotSentError(type(error).__name__) from error
        return response["MessageId"]
