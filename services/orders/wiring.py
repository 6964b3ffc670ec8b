"""What the orders service owns and how its functions are triggered (read by CDK and local)."""

from __future__ import annotations

from services.common.wiring import (
    Access,
    Function,
    HttpApiTrigger,
    HttpRoute,
    Permissions,
    Queue,
    ServiceWiring,
    SqsTrigger,
    StreamTrigger,
    Subscription,
    Table,
    event_pattern,
)

WIRING = ServiceWiring(
    name="orders",
    tables=(
        Table(
            name="orders",
            env_var="ORDERS_TABLE_NAME",
            partition_key="order_id",
            stream=True,  # the outbox: every new order's OrderPlaced comes from its INSERT
        ),
        # Powertools idempotency's default layout (key "id", expiry "expiration").
        Table(
            name="idempotency",
            env_var="ORDERS_IDEMPOTENCY_TABLE_NAME",
            partition_key="id",
            ttl_attribute="expiration",
        ),
    ),
    queues=(Queue(name="status-events"),),
    subscriptions=(
        Subscription(
            name="workflow-progress",
            queue="status-events",
            pattern=event_pattern(
                "shop.workflow",
                "ApprovalRequested",
                "OrderShipped",
                "OrderCancelled",
                "FeedbackDue",
            ),
        ),
    ),
    functions=(
        Function(
            name="api",
            handler="services.orders.handlers.api.lambda_handler",
            trigger=HttpApiTrigger(
                routes=(
                    HttpRoute(method="POST", path="/orders"),
                    HttpRoute(method="GET", path="/orders/{order_id}"),
                )
            ),
            permissions=Permissions(
                tables={"orders": Access.READ_WRITE, "idempotency": Access.READ_WRITE}
            ),
            description="Orders HTTP API: place an order, read it back.",
        ),
        Function(
            name="outbox",
            handler="services.orders.handlers.outbox.lambda_handler",
            trigger=StreamTrigger(table="orders"),
            permissions=Permissions(put_events=True),
            description="Publishes OrderPlaced for every order inserted in the orders table.",
        ),
        Function(
            name="status",
            handler="services.orders.handlers.status.lambda_handler",
            trigger=SqsTrigger(queue="status-events"),
            permissions=Permissions(tables={"orders": Access.WRITE}),
            description="Moves an order's status forward; deletes it when cancelled.",
        ),
    ),
)
