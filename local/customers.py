"""The shop's customers on the local stack's Cognito (moto): create them, sign them in.

Customers are created as an administrator would (``AdminCreateUser`` with a verified email,
then a permanent password) and sign in as a storefront does: ``InitiateAuth`` with
``USER_PASSWORD_AUTH`` on the public app client, which needs no AWS credentials.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

# The customer ``shop local`` creates so there is someone to order as. Local only: moto's
# Cognito, on loopback, never a real account.
DEMO_EMAIL = "ada@example.com"
DEMO_NAME = "Ada Lovelace"
DEMO_PASSWORD = "Local-Demo-Passw0rd"  # noqa: S105 - a fixture of the local emulator


class CustomerError(RuntimeError):
    """Cognito refused (no such pool, user exists, wrong password); the message says which."""


def name_from_email(email: str) -> str:
    """A display name when none is given: ``grace.hopper@...`` -> ``Grace Hopper``."""
    return email.partition("@")[0].replace(".", " ").replace("-", " ").title()


def new_password() -> str:
    # Cognito's default policy: 8+ characters with lower and upper case, a digit, a symbol.
    # It starts with letters because a leading "-" reads as an option when pasted after
    # `--password`, as token_urlsafe's output may begin.
    return f"Aa1-{secrets.token_urlsafe(12)}"


@dataclass(frozen=True)
class CustomerDirectory:
    cognito: Any  # a boto3 cognito-idp client
    pool_id: str
    client_id: str

    @classmethod
    def find(cls, cognito: Any, pool_name: str, client_name: str) -> CustomerDirectory:
        """The pool and app client by their names (as a storefront's config would hold)."""
        pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
        pool_id = next((p["Id"] for p in pools if p["Name"] == pool_name), None)
        if pool_id is None:
            raise CustomerError(f"no user pool named {pool_name}: is the local stack running?")
        clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
        client_id = next(
            (c["ClientId"] for c in clients["UserPoolClients"] if c["ClientName"] == client_name),
            None,
        )
        if client_id is None:
            raise CustomerError(f"user pool {pool_name} has no app client {client_name}")
        return cls(cognito, pool_id, client_id)

    def add(self, email: str, name: str, password: str, *, email_verified: bool = True) -> str:
        """Create a customer who can sign in at once; returns their id (``sub``)."""
        try:
            user = self.cognito.admin_create_user(
                UserPoolId=self.pool_id,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true" if email_verified else "false"},
                    {"Name": "name", "Value": name},
                ],
                MessageAction="SUPPRESS",  # nobody to send an invitation to locally
            )["User"]
            self.cognito.admin_set_user_password(
                UserPoolId=self.pool_id, Username=email, Password=password, Permanent=True
            )
        except self.cognito.exceptions.ClientError as error:
            raise CustomerError(_message(error)) from None
        return str(next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub"))

    def ensure(self, email: str, name: str, password: str) -> None:
        """``add`` unless the customer exists already (the password is then left alone)."""
        try:
            self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=email)
        except self.cognito.exceptions.UserNotFoundException:
            self.add(email, name, password)

    def sign_in(self, email: str, password: str) -> dict[str, str]:
        """The customer's tokens: ``IdToken`` (what the orders API takes), ``AccessToken``."""
        try:
            result = self.cognito.initiate_auth(
                ClientId=self.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        except self.cognito.exceptions.ClientError as error:
            raise CustomerError(_message(error)) from None
        if "AuthenticationResult" not in result:
            raise CustomerError(f"sign-in needs a challenge: {result.get('ChallengeName')}")
        tokens: dict[str, str] = result["AuthenticationResult"]
        return tokens

    def id_token(self, email: str, password: str) -> str:
        return self.sign_in(email, password)["IdToken"]


def bearer(token: str) -> dict[str, str]:
    """The header a storefront sends with every orders API call."""
    return {"authorization": f"Bearer {token}"}


def _message(error: Any) -> str:
    details = error.response.get("Error", {})
    return f"{details.get('Code', 'Error')}: {details.get('Message', '')}".strip()
