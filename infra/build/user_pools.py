"""A service's Cognito user pools and their app clients, built from its wiring, with the pool
id and client ids published in SSM (as the bus is) for storefronts and other stacks.

Customers sign in with their email address, verified by a code before they can order; app
clients are public (no secret: a browser or app cannot keep one) and allow only the flows the
wiring names, plus refresh.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.build.context import BuildContext, BuiltUserPool
from infra.config import DeployConfig
from infra.nag import suppress
from infra.naming import pascal, user_pool_parameters
from services.common.wiring import UserPool, UserPoolClient

MIN_PASSWORD_LENGTH = 12
FLOWS = {
    "USER_SRP_AUTH": "user_srp",
    "USER_PASSWORD_AUTH": "user_password",
    "ADMIN_USER_PASSWORD_AUTH": "admin_user_password",
    "CUSTOM_AUTH": "custom",
}


def user_pool(ctx: BuildContext, declared: UserPool) -> None:
    ctx.out.user_pools[declared.name] = _build(ctx.scope, ctx.wiring.name, declared, ctx.config)


def _build(
    scope: Construct, service: str, declared: UserPool, config: DeployConfig
) -> BuiltUserPool:
    construct = pascal(declared.name)
    pool = cognito.UserPool(
        scope,
        f"{construct}UserPool",
        user_pool_name=f"shop-{config.stage}-{service}-{declared.name}",
        self_sign_up_enabled=True,
        sign_in_aliases=cognito.SignInAliases(email=True),
        sign_in_case_sensitive=False,
        auto_verify=cognito.AutoVerifiedAttrs(email=True),
        keep_original=cognito.KeepOriginalAttrs(email=True),  # a change counts once verified
        standard_attributes=cognito.StandardAttributes(
            email=cognito.StandardAttribute(required=True, mutable=True),
            **{
                _standard(name): cognito.StandardAttribute(required=True, mutable=True)
                for name in declared.required_attributes
            },
        ),
        password_policy=cognito.PasswordPolicy(
            min_length=MIN_PASSWORD_LENGTH,
            require_lowercase=True,
            require_uppercase=True,
            require_digits=True,
            require_symbols=True,
        ),
        account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
        mfa=cognito.Mfa.OPTIONAL,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
        removal_policy=config.removal_policy,
    )
    suppress(
        pool,
        "COG2",
        "Shop customers choose whether to add an authenticator app (MFA is optional): "
        "requiring it of every shopper would stop most of them from ordering at all.",
    )
    plus_tier = (
        "Threat protection needs the Plus feature plan, priced per monthly active user; the "
        "orders API is throttled and a signed-in customer only ever reaches their own orders, "
        "so the shop starts on Essentials and revisits this with real traffic."
    )
    suppress(pool, "COG3", plus_tier)
    suppress(pool, "COG8", plus_tier)
    clients = {c.name: _client(pool, construct, c) for c in declared.clients}
    _publish(
        scope,
        construct=construct,
        config=config,
        service=service,
        declared=declared,
        pool=pool,
        clients=clients,
    )
    return BuiltUserPool(pool=pool, clients=clients)


def _standard(attribute: str) -> str:
    # Wiring uses Cognito's attribute names; CDK's StandardAttributes spells some differently.
    return {"name": "fullname", "family_name": "family_name"}.get(attribute, attribute)


def _client(
    pool: cognito.UserPool, construct: str, declared: UserPoolClient
) -> cognito.UserPoolClient:
    unknown = set(declared.auth_flows) - FLOWS.keys()
    if unknown:
        raise ValueError(f"{declared.name}: auth flows CDK cannot express: {sorted(unknown)}")
    return pool.add_client(
        f"{construct}{pascal(declared.name)}Client",
        user_pool_client_name=declared.name,
        generate_secret=False,
        auth_flows=cognito.AuthFlow(**{FLOWS[flow]: True for flow in declared.auth_flows}),
        prevent_user_existence_errors=True,
        id_token_validity=Duration.hours(1),
        access_token_validity=Duration.hours(1),
        refresh_token_validity=Duration.days(30),
        enable_token_revocation=True,
    )


def _publish(
    scope: Construct,
    *,
    construct: str,
    config: DeployConfig,
    service: str,
    declared: UserPool,
    pool: cognito.UserPool,
    clients: dict[str, cognito.UserPoolClient],
) -> None:
    names = user_pool_parameters(config.stage, service, declared.name)
    ssm.StringParameter(
        scope,
        f"{construct}UserPoolIdParameter",
        parameter_name=names.pool_id,
        string_value=pool.user_pool_id,
        description=f"Id of the {service} {declared.name} user pool (its token issuer).",
    )
    for name, client in clients.items():
        ssm.StringParameter(
            scope,
            f"{construct}{pascal(name)}ClientIdParameter",
            parameter_name=names.client_id(name),
            string_value=client.user_pool_client_id,
            description=f"App client id a {name} signs {declared.name} in with.",
        )
