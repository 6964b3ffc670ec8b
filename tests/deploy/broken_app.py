"""A test-only variant of the CDK app, deliberately broken: the proof that the deploy check
can fail. The notifications service's rule for OrderPlaced names the source ``shop.order``
(a typo of ``shop.orders``): it synthesises, passes cdk-nag and deploys, and no customer ever
gets the order-received email. ``make deploy-check DEPLOY_CHECK_APP=broken-rule`` must fail
at the approve journey's step "the customer gets the order-received email".

Run by the CDK CLI as ``python -m tests.deploy.broken_app`` in place of ``infra.app``.
"""

from __future__ import annotations

import dataclasses

from infra import app
from services.common.wiring import ServiceWiring, event_pattern
from services.notifications import wiring

BROKEN_SUBSCRIPTION = "order-placed"


def broken(original: ServiceWiring) -> ServiceWiring:
    subscriptions = tuple(
        dataclasses.replace(s, pattern=event_pattern("shop.order", "OrderPlaced"))
        if s.name == BROKEN_SUBSCRIPTION
        else s
        for s in original.subscriptions
    )
    assert subscriptions != original.subscriptions, f"no subscription {BROKEN_SUBSCRIPTION!r}"
    return dataclasses.replace(original, subscriptions=subscriptions)


def main() -> None:
    # infra.app reads each wiring from its module (load_wiring): the variant replaces one.
    wiring.WIRING = broken(wiring.WIRING)
    app.main()


if __name__ == "__main__":
    main()
