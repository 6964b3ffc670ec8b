"""Tables (with their streams) and secrets."""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_secretsmanager as secretsmanager

from infra.build.context import BuildContext
from infra.nag import suppress
from infra.naming import pascal
from services.common.wiring import Secret, Table


def table(ctx: BuildContext, declared: Table) -> None:
    key = dynamodb.Attribute(name=declared.partition_key, type=dynamodb.AttributeType.STRING)
    sort = (
        dynamodb.Attribute(name=declared.sort_key, type=dynamodb.AttributeType.STRING)
        if declared.sort_key
        else None
    )
    created = dynamodb.Table(
        ctx.scope,
        f"{pascal(declared.name)}Table",
        partition_key=key,
        sort_key=sort,
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        time_to_live_attribute=declared.ttl_attribute,
        stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES if declared.stream else None,
        removal_policy=ctx.config.removal_policy,
    )
    for index in declared.indexes:
        created.add_global_secondary_index(
            index_name=index.name,
            partition_key=dynamodb.Attribute(
                name=index.partition_key, type=dynamodb.AttributeType.STRING
            ),
            sort_key=(
                dynamodb.Attribute(name=index.sort_key, type=dynamodb.AttributeType.STRING)
                if index.sort_key
                else None
            ),
            projection_type=dynamodb.ProjectionType.ALL,
        )
    ctx.out.tables[declared.name] = created
    ctx.out.environment[declared.env_var] = created.table_name


def secret(ctx: BuildContext, declared: Secret) -> None:
    created = secretsmanager.Secret(
        ctx.scope,
        f"{pascal(declared.name)}Secret",
        description=declared.description,
        generate_secret_string=secretsmanager.SecretStringGenerator(
            password_length=64, exclude_punctuation=True, include_space=False
        ),
        removal_policy=ctx.config.removal_policy,
    )
    suppress(
        created,
        "SMG4",
        "The secret is an HMAC key that signs links already sitting in inboxes; automatic "
        "rotation would break every open approval link, so it is rotated by hand after "
        "the approval window (docs/deploy.md).",
    )
    ctx.out.secrets[declared.name] = created
    ctx.out.environment[declared.env_var] = created.secret_arn
