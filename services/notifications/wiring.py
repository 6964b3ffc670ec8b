"""What the notifications service owns and how its one function is triggered."""

from __future__ import annotations

from services.common.wiring import (
    Access,
    Function,
    Permissions,
    Queue,
    ServiceWiring,
    Setting,
    SqsTrigger,
    Subscription,
    Table,
    event_pattern,
)

WIRING = ServiceWiring(
    name="notifications",
    tables=(
        Table(
            name="sent-emails",
            env_var="NOTIFICATIONS_LEDGER_TABLE_NAME",
            partition_key="order_id",
            sort_key="kind",
        ),
    ),
    queues=(Queue(name="customer-events"),),
    subscriptions=(
        Subscription(
            name="order-placed",
            queue="customer-events",
            pattern=event_pattern("shop.orders", "OrderPlaced"),
        ),
        Subscription(
            name="order-outcomes",
            queue="customer-events",
            pattern=event_pattern("shop.workflow", "OrderShipped", "OrderCancelled", "FeedbackDue"),
        ),
    ),
    settings=(
        Setting(
            name="sender_email",
            env_var="NOTIFICATIONS_SENDER_EMAIL",
            description=(
                "The From address of customer emails; it (or its domain) must be a verified "
                "SES identity."
            ),
            local_default="shop@example.com",
        ),
    ),
    email_sender_settings=("sender_email",),
    functions=(
        Function(
            name="email",
            handler="services.notifications.handlers.email.lambda_handler",
            trigger=SqsTrigger(queue="customer-events"),
            permissions=Permissions(
                tables={"sent-emails": Access.READ_WRITE},
                send_email=True,
            ),
            description="Sends the customer emails, at most once per order and kind.",
            # Room for a slow SES answer (read timeout 5 s) on a few records of a batch;
            # well under the queue's visibility timeout.
            timeout_seconds=20,
        ),
    ),
)
