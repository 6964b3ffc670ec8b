"""Signed-in customers for tests that call the orders API through a gateway: real tokens from
moto's Cognito, sent as a storefront sends them."""

from __future__ import annotations

from local.customers import CustomerDirectory, bearer, name_from_email

PASSWORD = "Test-Passw0rd-1"


def signed_in(directory: CustomerDirectory, email: str, name: str | None = None) -> dict[str, str]:
    """The ``Authorization`` header of ``email`` (created, email verified, on first use)."""
    directory.ensure(email, name or name_from_email(email), PASSWORD)
    return bearer(directory.id_token(email, PASSWORD))


# --- claims, as API Gateway's JWT authorizer hands them to the function ---------------------

ADA_ID = "0b5e3a52-7d4f-4f0e-9a65-3f1b2c4d5e6f"
GRACE_ID = "5d2c9a41-1e3b-4c7d-8f60-2a9b8c7d6e5f"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Customers"


def id_token_claims(
    sub: str = ADA_ID,
    *,
    name: str = "Ada Lovelace",
    email: str = "ada@example.com",
    email_verified: bool = True,
    **extra: str,
) -> dict[str, str]:
    """A Cognito id token's claims after API Gateway's authorizer: every value a string."""
    return {
        "iss": ISSUER,
        "aud": "storefront-client-id",
        "sub": sub,
        "token_use": "id",
        "cognito:username": sub,
        "email": email,
        "email_verified": "true" if email_verified else "false",
        "name": name,
        "auth_time": "1795276000",
        "iat": "1795276000",
        "exp": "1795279600",
        **extra,
    }


ADA = id_token_claims()
GRACE = id_token_claims(GRACE_ID, name="Grace Hopper", email="grace@example.com")


def authorizer_context(claims: dict[str, str]) -> dict[str, object]:
    """``requestContext.authorizer`` of payload 2.0 (an id token has no scopes: null)."""
    return {"jwt": {"claims": claims, "scopes": None}}
