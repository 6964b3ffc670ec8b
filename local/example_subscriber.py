"""The example subscriber (examples/subscriber), run by the local stack when asked.

It is another team's code with its own CDK stack; what it deploys is declared as plain values
in ``loyalty_stack/resources.py``, which both its stack and this module read, so the local
run cannot drift from its cloud one. Here those values become a wiring declaration for the
provisioner (a rule on the local bus, a queue with its DLQ, the points table, the function),
exactly as our services' ``wiring.py`` do.
"""

from __future__ import annotations

import sys

from local.paths import REPO_ROOT
from services.common.wiring import (
    Access,
    Function,
    Permissions,
    Queue,
    ServiceWiring,
    SqsTrigger,
    Subscription,
    Table,
)

CODE_ROOT = REPO_ROOT / "examples" / "subscriber"


def example_subscriber_wiring() -> ServiceWiring:
    """The loyalty service's resources, for the local provisioner."""
    # Its code root is what Lambda would unpack: its handler imports ``loyalty.*`` from there.
    if str(CODE_ROOT) not in sys.path:
        sys.path.append(str(CODE_ROOT))
    import loyalty_stack.resources as declared  # noqa: PLC0415 - after its root is on the path

    return ServiceWiring(
        name=declared.SERVICE,
        tables=(
            Table(
                name="points",
                env_var=declared.TABLE_ENV_VAR,
                partition_key=declared.TABLE_PARTITION_KEY,
                sort_key=declared.TABLE_SORT_KEY,
            ),
        ),
        queues=(
            Queue(
                name="events",
                visibility_timeout_seconds=declared.QUEUE_VISIBILITY_TIMEOUT_SECONDS,
                max_receive_count=declared.MAX_RECEIVE_COUNT,
            ),
        ),
        subscriptions=(
            Subscription(name="shop-events", queue="events", pattern=declared.RULE_PATTERN),
        ),
        functions=(
            Function(
                name="points",
                handler=declared.HANDLER,
                trigger=SqsTrigger(queue="events", batch_size=declared.BATCH_SIZE),
                permissions=Permissions(tables={"points": Access.READ_WRITE}),
                description="The example subscriber: loyalty points for shipped orders.",
                timeout_seconds=declared.FUNCTION_TIMEOUT_SECONDS,
                memory_mb=declared.FUNCTION_MEMORY_MB,
            ),
        ),
    )
