"""What the orders service owns and how its functions are triggered (read by CDK and local)."""

from __future__ import annotations

from services.common.wiring import (
    RETRY_UNTIL_EXPIRED,
    Access,
    Function,
    HttpApiTrigger,
    HttpRoute,
    Index,
    JwtAuthorizer,
    Permissions,
    Queue,
    ScheduleTrigger,
    ServiceWiring,
    Setting,
    SqsTrigger,
    StreamTrigger,
    Subscription,
    Table,
    Throttle,
    UserPool,
    UserPoolClient,
    event_pattern,
)
from services.orders.indexes import ORDERS_BY_CUSTOMER_INDEX
from services.orders.settings import (
    DEFAULT_CANCEL_WAIT_SECONDS,
    DEFAULT_STUCK_AFTER_SECONDS,
    DEFAULT_TIMELINE_RETENTION_DAYS,
)

# The index a customer's order list reads: their orders, newest first.
ORDERS_BY_CUSTOMER = Index(
    name=ORDERS_BY_CUSTOMER_INDEX,
    partition_key="customer_id",
    sort_key="placed_at",
)

WIRING = ServiceWiring(
    name="orders",
    tables=(
        Table(
            name="orders",
            env_var="ORDERS_TABLE_NAME",
            partition_key="order_id",
            stream=True,  # the outbox: every new order's OrderPlaced comes from its INSERT
            indexes=(ORDERS_BY_CUSTOMER,),
            # Customers' cancellation requests (kept beside the orders) expire; orders do not.
            ttl_attribute="expires_at",
        ),
        # What the shop sells: sku, name, unit_price, currency, active. Prices come from here.
        Table(name="catalogue", env_var="ORDERS_CATALOGUE_TABLE_NAME", partition_key="sku"),
        # Powertools idempotency's default layout (key "id", expiry "expiration").
        Table(
            name="idempotency",
            env_var="ORDERS_IDEMPOTENCY_TABLE_NAME",
            partition_key="id",
            ttl_attribute="expiration",
        ),
        # Each order's journey, step by step (services/orders/adapters/timeline.py); kept
        # after a cancelled order is deleted, until its TTL.
        Table(
            name="timeline",
            env_var="ORDERS_TIMELINE_TABLE_NAME",
            partition_key="order_id",
            sort_key="entry",
            ttl_attribute="expires_at",
        ),
    ),
    queues=(
        Queue(name="status-events"),
        Queue(name="timeline-events"),
        Queue(name="cancellation-answers"),
    ),
    user_pools=(
        # The shop's customers: they sign in with their email address; the orders API reads
        # who they are from their id token.
        UserPool(
            name="customers",
            clients=(
                UserPoolClient(
                    name="storefront", auth_flows=("USER_SRP_AUTH", "USER_PASSWORD_AUTH")
                ),
            ),
            required_attributes=("name",),
        ),
    ),
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
        # Every event of an order's journey, one rule per producer (a consumer believes an
        # event only from the producer the contract names for it).
        Subscription(
            name="timeline-orders",
            queue="timeline-events",
            pattern=event_pattern("shop.orders", "OrderPlaced", "OrderCancellationRequested"),
        ),
        Subscription(
            name="timeline-workflow",
            queue="timeline-events",
            pattern=event_pattern(
                "shop.workflow",
                "ApprovalRequested",
                "OrderShipped",
                "OrderCancelled",
                "FeedbackDue",
            ),
        ),
        Subscription(
            name="timeline-approvals",
            queue="timeline-events",
            pattern=event_pattern(
                "shop.approvals",
                "ApprovalReminded",
                "ApprovalEscalated",
                "OrderApproved",
                "OrderRejected",
                "ApprovalWithdrawn",
                "OrderCancellationRefused",
            ),
        ),
        Subscription(
            name="timeline-notifications",
            queue="timeline-events",
            pattern=event_pattern("shop.notifications", "EmailOutcomeRecorded"),
        ),
        Subscription(
            name="cancellation-answers",
            queue="cancellation-answers",
            pattern=event_pattern(
                "shop.approvals", "ApprovalWithdrawn", "OrderCancellationRefused"
            ),
        ),
    ),
    settings=(
        Setting(
            name="stuck_after_seconds",
            env_var="ORDERS_STUCK_AFTER_SECONDS",
            description=(
                "How long an order may stay 'placed' before the sweeper republishes its "
                "OrderPlaced (same event id)."
            ),
            default=str(DEFAULT_STUCK_AFTER_SECONDS),
            local_default="15",
        ),
        Setting(
            name="timeline_retention_days",
            env_var="ORDERS_TIMELINE_RETENTION_DAYS",
            description=(
                "How many days a cancelled order's timeline is kept after the cancellation "
                "(the order itself is deleted at once)."
            ),
            default=str(DEFAULT_TIMELINE_RETENTION_DAYS),
            local_default=str(DEFAULT_TIMELINE_RETENTION_DAYS),
        ),
        Setting(
            name="cancel_wait_seconds",
            env_var="ORDERS_CANCEL_WAIT_SECONDS",
            description=(
                "How long a customer's cancel call waits for the approvals service's answer "
                "before it answers 202 pending."
            ),
            default=str(DEFAULT_CANCEL_WAIT_SECONDS),
            local_default="15",
        ),
    ),
    functions=(
        Function(
            name="api",
            handler="services.orders.handlers.api.lambda_handler",
            trigger=HttpApiTrigger(
                routes=(
                    # Placing writes and sends email: a tighter bucket than reading.
                    HttpRoute(method="POST", path="/orders", throttle=Throttle(10, 20)),
                    HttpRoute(method="GET", path="/orders", throttle=Throttle(50, 100)),
                    HttpRoute(method="GET", path="/orders/{order_id}", throttle=Throttle(50, 100)),
                    HttpRoute(
                        method="GET", path="/orders/{order_id}/timeline", throttle=Throttle(50, 100)
                    ),
                    HttpRoute(
                        method="POST", path="/orders/{order_id}/cancel", throttle=Throttle(10, 20)
                    ),
                ),
                authorizer=JwtAuthorizer(user_pool="customers", client="storefront"),
            ),
            reserved_concurrency=20,
            permissions=Permissions(
                tables={
                    "orders": Access.READ_WRITE,
                    "idempotency": Access.READ_WRITE,
                    "catalogue": Access.READ,
                    "timeline": Access.READ,
                }
            ),
            description="Orders HTTP API: a signed-in customer places orders and reads their own.",
        ),
        Function(
            name="outbox",
            handler="services.orders.handlers.outbox.lambda_handler",
            # INSERTs only (status updates are not ours to publish); a failing record is
            # retried until it expires, so a bus outage delays OrderPlaced but loses none.
            trigger=StreamTrigger(
                table="orders",
                max_retry_attempts=RETRY_UNTIL_EXPIRED,
                event_names=("INSERT",),
            ),
            permissions=Permissions(put_events=True),
            description=(
                "Publishes OrderPlaced (OrderCancellationRequested) for every order "
                "(cancellation request) inserted in the orders table."
            ),
        ),
        Function(
            name="sweeper",
            handler="services.orders.handlers.sweeper.lambda_handler",
            trigger=ScheduleTrigger(every_seconds=300, local_every_seconds=5),
            permissions=Permissions(tables={"orders": Access.READ}, put_events=True),
            description="Republishes OrderPlaced for orders stuck in 'placed' (same event id).",
            timeout_seconds=60,
        ),
        Function(
            name="status",
            handler="services.orders.handlers.status.lambda_handler",
            trigger=SqsTrigger(queue="status-events"),
            permissions=Permissions(tables={"orders": Access.WRITE}),
            description="Moves an order's status forward; deletes it when cancelled.",
        ),
        Function(
            name="timeline",
            handler="services.orders.handlers.timeline.lambda_handler",
            trigger=SqsTrigger(queue="timeline-events"),
            permissions=Permissions(tables={"timeline": Access.READ_WRITE, "orders": Access.READ}),
            description="Records each step of an order's journey in its timeline, once.",
        ),
        Function(
            name="cancellations",
            handler="services.orders.handlers.cancellations.lambda_handler",
            trigger=SqsTrigger(queue="cancellation-answers"),
            permissions=Permissions(tables={"orders": Access.WRITE}),
            description="Records the answer to a customer's cancellation for the waiting call.",
        ),
    ),
)
