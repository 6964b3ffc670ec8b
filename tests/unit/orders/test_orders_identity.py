"""Who is calling, from the claims API Gateway's JWT authorizer hands over (all strings)."""

from __future__ import annotations

from typing import Any

import pytest

from services.orders.identity import EMAIL_NOT_VERIFIED, CannotOrderError, NotSignedInError, caller

ID_TOKEN_CLAIMS = {
    "sub": "0b5e3a52-7d4f-4f0e-9a65-3f1b2c4d5e6f",
    "token_use": "id",
    "email": "ada@example.com",
    "email_verified": "true",
    "name": "Ada Lovelace",
    "exp": "1796023619",
}


def test_an_id_token_names_the_customer_and_their_verified_email() -> None:
    who = caller(ID_TOKEN_CLAIMS)

    assert who.customer_id == ID_TOKEN_CLAIMS["sub"]
    customer = who.customer()
    assert (customer.name, customer.email) == ("Ada Lovelace", "ada@example.com")


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {**ID_TOKEN_CLAIMS, "token_use": "access"},
        {key: value for key, value in ID_TOKEN_CLAIMS.items() if key != "token_use"},
        {key: value for key, value in ID_TOKEN_CLAIMS.items() if key != "sub"},
        {**ID_TOKEN_CLAIMS, "sub": ""},
    ],
    ids=["no claims", "access token", "no token_use", "no sub", "empty sub"],
)
def test_anything_but_a_customers_id_token_is_not_signed_in(claims: dict[str, Any]) -> None:
    with pytest.raises(NotSignedInError):
        caller(claims)


def test_an_unverified_email_cannot_order() -> None:
    who = caller({**ID_TOKEN_CLAIMS, "email_verified": "false"})

    with pytest.raises(CannotOrderError) as refused:
        who.customer()

    assert str(refused.value) == EMAIL_NOT_VERIFIED


@pytest.mark.parametrize(
    "change",
    [{"email_verified": None}, {"name": None}, {"name": ""}, {"email": "not-an-address"}],
)
def test_a_profile_unfit_for_an_order_is_refused_with_a_reason(change: dict[str, Any]) -> None:
    claims = {k: v for k, v in {**ID_TOKEN_CLAIMS, **change}.items() if v is not None}

    with pytest.raises(CannotOrderError, match=r"name|email"):
        caller(claims).customer()
