"""The workflow's internal message: what the state machine sends to the private token queue.

Not a contract event: it never reaches the bus, because it carries the task token.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)

from events.models import OrderId, OrderSummary
from services.common.errors import field_problems


class TokenRequest(BaseModel):
    """RequestApproval's MessageBody (see statemachine.asl.json)."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    order_id: OrderId
    order: OrderSummary
    # A SecretStr so the token never shows up in a repr, a log line or an error message.
    task_token: SecretStr = Field(min_length=1, max_length=1024)
    requested_at: AwareDatetime
    approval_window_seconds: int = Field(ge=1)
    execution_arn: str = Field(min_length=1, max_length=2048)

    @model_validator(mode="after")
    def _one_order(self) -> Self:
        if self.order.order_id != self.order_id:
            raise ValueError("order_id differs from order.order_id")
        return self

    @property
    def approval_deadline(self) -> AwareDatetime:
        return self.requested_at + timedelta(seconds=self.approval_window_seconds)


class MalformedTokenMessageError(ValueError):
    """A token message that does not fit ``TokenRequest``; names the fields, not the values."""


def parse_token_request(body: str) -> TokenRequest:
    try:
        return TokenRequest.model_validate_json(body)
    except ValidationError as error:
        raise MalformedTokenMessageError(field_problems(error)) from None
