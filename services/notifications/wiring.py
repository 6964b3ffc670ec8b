"""What the notifications service owns and how its functions are triggered."""

from __future__ import annotations

from services.common.wiring import (
    Access,
    EmailConfigurationSet,
    Function,
    FunctionUrlTrigger,
    Permissions,
    Queue,
    Secret,
    ServiceWiring,
    Setting,
    SqsTrigger,
    Subscription,
    Table,
    event_pattern,
)
from services.notifications.settings import DEFAULT_STALE_CLAIM_SECONDS

# The SES email events the configuration set publishes, and their EventBridge detail-types.
SES_EVENT_TYPES = ("SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT")
SES_DETAIL_TYPES = (
    "Email Sent",
    "Email Delivered",
    "Email Bounced",
    "Email Complaint Received",
    "Email Rejected",
)
CUSTOMER_EVENTS_QUEUE = Queue(name="customer-events")

WIRING = ServiceWiring(
    name="notifications",
    tables=(
        Table(
            name="sent-emails",
            env_var="NOTIFICATIONS_LEDGER_TABLE_NAME",
            partition_key="order_id",
            sort_key="kind",
        ),
        # Recipients (SHA-256 of the address) who asked for no more feedback requests.
        Table(
            name="opt-outs",
            env_var="NOTIFICATIONS_OPT_OUTS_TABLE_NAME",
            partition_key="recipient",
        ),
    ),
    secrets=(
        Secret(
            name="unsubscribe-key",
            env_var="NOTIFICATIONS_UNSUBSCRIBE_KEY_SECRET",
            description="HMAC-SHA256 key that signs the one-click unsubscribe links.",
        ),
    ),
    queues=(CUSTOMER_EVENTS_QUEUE, Queue(name="delivery-events")),
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
        # SES publishes its email events only to the account's default bus. Other senders'
        # events may match too: the consumer ignores emails that are not in its ledger.
        Subscription(
            name="email-events",
            queue="delivery-events",
            pattern=event_pattern("aws.ses", *SES_DETAIL_TYPES),
            on_default_bus=True,
        ),
    ),
    email_configuration_sets=(
        EmailConfigurationSet(
            name="customer-email",
            env_var="NOTIFICATIONS_CONFIGURATION_SET",
            event_types=SES_EVENT_TYPES,
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
        Setting(
            name="stale_claim_seconds",
            env_var="NOTIFICATIONS_STALE_CLAIM_SECONDS",
            description=(
                "How long an email may stay claimed as 'sending' with no word from SES before "
                "a redelivery sends it again. Must stay below the customer-events queue's "
                "visibility timeout times (max receives - 1), or the message is gone first."
            ),
            default=str(DEFAULT_STALE_CLAIM_SECONDS),
            local_default="4",
        ),
    ),
    email_sender_settings=("sender_email",),
    functions=(
        Function(
            name="email",
            handler="services.notifications.handlers.email.lambda_handler",
            trigger=SqsTrigger(queue="customer-events"),
            permissions=Permissions(
                tables={"sent-emails": Access.READ_WRITE, "opt-outs": Access.READ},
                read_secrets=("unsubscribe-key",),
                send_email=True,
                put_events=True,  # EmailOutcomeRecorded
            ),
            description="Sends the customer emails, once per order and kind.",
            # Room for a slow SES answer (read timeout 5 s) on a few records of a batch; the
            # batch stops taking records when less than one send's time is left.
            timeout_seconds=20,
        ),
        Function(
            name="delivery-events",
            handler="services.notifications.handlers.delivery.lambda_handler",
            trigger=SqsTrigger(queue="delivery-events"),
            permissions=Permissions(tables={"sent-emails": Access.READ_WRITE}, put_events=True),
            description=(
                "Records what SES reports about each email (sent, delivered, bounced) and "
                "announces it (EmailOutcomeRecorded)."
            ),
        ),
        Function(
            name="unsubscribe",
            handler="services.notifications.handlers.unsubscribe.lambda_handler",
            # Public (the link's signature is the guard); POST acts, GET only asks.
            trigger=FunctionUrlTrigger(env_var="NOTIFICATIONS_UNSUBSCRIBE_URL"),
            permissions=Permissions(
                tables={"opt-outs": Access.READ_WRITE}, read_secrets=("unsubscribe-key",)
            ),
            description="One-click unsubscribe from feedback requests (RFC 8058).",
        ),
    ),
)
