"""The EventBridge envelope a bus rule delivers and the typed contract event inside it.

Kept apart from ``services.common.consumer`` (the batch wrapper) so that code which only reads
events, like the orders API's timeline, does not import Powertools' batch utility, whose import
builds its parser models once pydantic is loaded.

An event is only believed when it comes from the producer the contract names for its
detail-type: any function allowed to put events on the bus could otherwise forge, say, an
``OrderApproved``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from events.models import Event, parse_detail
from services.common.errors import field_problems

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

E = TypeVar("E", bound=Event)


class UnexpectedEventError(ValueError):
    """A contract event this consumer is not subscribed to (a mis-wired rule)."""


class ForeignSourceError(ValueError):
    """A contract event put on the bus by someone other than its producer (a forgery or a
    mis-configured publisher)."""

    def __init__(self, detail_type: str, source: str, expected: str) -> None:
        super().__init__(f"{detail_type} from source {source!r}; the contract names {expected!r}")
        self.detail_type = detail_type
        self.source = source


class MalformedEventError(ValueError):
    """A record that is not a valid contract event. The message names the fields and what is
    wrong with them but never their values: those can be a customer's email address."""

    def __init__(self, what: str, error: ValidationError) -> None:
        super().__init__(f"malformed {what}: {field_problems(error)}")


class BusEnvelope(BaseModel):
    """An EventBridge event as a bus rule delivers it (the fields of Powertools'
    ``EventBridgeModel`` that AWS always sends). Our own so that its schema is built on the
    first record, not by every consumer's import."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    version: str
    id: str
    source: str
    # moto's rule-to-SQS delivery leaves out "account" (AWS always sends it); nothing reads it.
    account: str = ""
    time: datetime
    region: str
    resources: list[str]
    detail_type: str = Field(alias="detail-type")
    detail: dict[str, Any]


def parse_record(record: SQSRecord, accepts: tuple[type[E], ...]) -> E:
    try:
        envelope = BusEnvelope.model_validate_json(record.body)
    except ValidationError as error:
        raise MalformedEventError("EventBridge envelope", error) from None
    try:
        event = parse_detail(envelope.detail_type, envelope.detail)
    except ValidationError as error:
        raise MalformedEventError(envelope.detail_type, error) from None
    if envelope.source != event.source:
        raise ForeignSourceError(envelope.detail_type, envelope.source, event.source)
    if not isinstance(event, accepts):
        raise UnexpectedEventError(f"{envelope.detail_type} is not handled here")
    return event
