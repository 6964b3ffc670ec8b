"""Who is calling: the customer, read from the id token's claims API Gateway's JWT authorizer
has already checked (issuer, audience, expiry, signature) and hands over as strings.

The authorizer does not look at ``token_use``, so an access token of the same app client
would pass it; only an id token names the customer and their email, so anything else is
refused here as the authorizer refuses a bad token (401). An email the customer has not
verified is refused with 403: the shop sends mail to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from events.models import Customer
from services.common.errors import field_problems
from services.orders.models import CustomerId

EMAIL_NOT_VERIFIED = (
    "Your email address is not verified yet. Verify it with the code we sent you, then sign "
    "in again to place orders."
)


class NotSignedInError(Exception):
    """No usable id token: the same 401 API Gateway's authorizer gives."""


class CannotOrderError(Exception):
    """Signed in, but the account cannot place orders (unverified email, unusable profile);
    the message tells the customer why."""


class _IdTokenClaims(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    sub: CustomerId
    token_use: Literal["id"]


class _ProfileClaims(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    email: str
    email_verified: bool  # "true" / "false" from API Gateway
    name: str


@dataclass(frozen=True)
class Caller:
    customer_id: str
    claims: Mapping[str, Any]

    def customer(self) -> Customer:
        """Name and verified email for an order; raises ``CannotOrderError`` otherwise."""
        try:
            profile = _ProfileClaims.model_validate(self.claims)
        except ValidationError:
            raise CannotOrderError(
                "Your account has no name or email address; add them to place orders."
            ) from None
        if not profile.email_verified:
            raise CannotOrderError(EMAIL_NOT_VERIFIED)
        try:
            return Customer(name=profile.name, email=profile.email)
        except ValidationError as error:
            raise CannotOrderError(
                f"Your account cannot be used on an order ({field_problems(error)}); "
                "please change it."
            ) from None


def caller(claims: Mapping[str, Any]) -> Caller:
    """The signed-in customer; raises ``NotSignedInError`` without a customer's id token."""
    try:
        token = _IdTokenClaims.model_validate(claims)
    except ValidationError:
        raise NotSignedInError from None
    return Caller(customer_id=token.sub, claims=claims)
