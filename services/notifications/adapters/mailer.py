"""Sends rendered emails with SES v2 (``SendEmail``, simple content: subject, HTML, text),
always under the service's configuration set and tagged, so SES's reports about each email
(sent, delivered, bounced, complained, rejected) find their way back to the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from services.notifications.domain.ports import EmailNotSentError, EmailRefusedError
from services.notifications.models import RenderedEmail

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import MessageTypeDef as SimpleTypeDef

# No client-side retries: botocore would resend after a read timeout, when SES may already
# have accepted the email. Retries happen one level up, through the queue, where the ledger
# guards them. Timeouts stay well inside the function's timeout.
SES_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    connect_timeout=2,
    read_timeout=5,
)
# The longest one send can take (connect + read, and a little for the ledger).
SEND_BUDGET_MS = 8_000

# Refusals that would repeat on every retry: the message, the sender or the account is not
# allowed (a sandbox refusal of an unverified recipient is a MessageRejected), or the
# request itself is invalid (an address SES cannot send to). Throttling, a paused account
# and server errors may pass and are retried through the queue.
PERMANENT_ERRORS = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "BadRequestException",
    }
)


class SesMailer:
    def __init__(self, client: SESV2Client, sender: str, configuration_set: str) -> None:
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set

    def send(self, to: str, email: RenderedEmail, *, tags: dict[str, str]) -> str:
        simple: SimpleTypeDef = {
            "Subject": {"Data": email.subject, "Charset": "UTF-8"},
            "Body": {
                "Html": {"Data": email.html, "Charset": "UTF-8"},
                "Text": {"Data": email.text, "Charset": "UTF-8"},
            },
        }
        if email.headers:
            simple["Headers"] = [{"Name": name, "Value": value} for name, value in email.headers]
        try:
            response = self._client.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [to]},
                Content={"Simple": simple},
                ConfigurationSetName=self._configuration_set,
                EmailTags=[{"Name": name, "Value": value} for name, value in tags.items()],
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_ERRORS:
                raise EmailRefusedError(code) from error
            raise EmailNotSentError(code or type(error).__name__) from error
        # No connection at all: nothing was sent. Anything else (a read timeout, a connection
        # closed mid-request) propagates as "outcome unknown".
        except BotocoreConnectionError as error:
            raise EmailNotSentError(type(error).__name__) from error
        return response["MessageId"]
