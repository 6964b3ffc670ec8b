"""``npx aws-cdk deploy -a "python -m loyalty_stack.app" -c shop_stage=dev`` from
examples/subscriber/: the loyalty service on the shop's bus of that stage."""

from __future__ import annotations

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from loyalty_stack.stack import LoyaltyStack


def build_app(app: App | None = None) -> App:
    app = app or App()
    stage = str(app.node.try_get_context("shop_stage") or "dev")
    LoyaltyStack(app, "Loyalty", shop_stage=stage, stack_name=f"loyalty-{stage}")
    # cdk-nag 3 is a policy-validation plugin: synthesis stops on any unacknowledged finding.
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )
    return app


if __name__ == "__main__":
    build_app().synth()
