"""A service's settings: from context or cdk.json, else the wiring's default."""

from __future__ import annotations

from aws_cdk import Annotations

from infra.build.context import BuildContext


def resolve(ctx: BuildContext) -> None:
    ctx.out.settings = {s.name: _value(ctx, s.name) for s in ctx.wiring.settings}


def _value(ctx: BuildContext, name: str) -> str:
    declared = next(s for s in ctx.wiring.settings if s.name == name)
    value = ctx.config.setting(ctx.wiring.name, name) or declared.default
    if value is None:
        # An error on this stack only: `cdk deploy` of another stack still works.
        Annotations.of(ctx.stack).add_error(
            f"{ctx.wiring.name}: no value for setting '{name}' ({declared.description}) "
            f"Give it with `-c {name}=...` or in cdk.json."
        )
        return f"missing-{name}"
    return value
