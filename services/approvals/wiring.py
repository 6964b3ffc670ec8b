"""What the approvals service owns and how its two functions are triggered."""

from __future__ import annotations

from services.approvals.settings import (
    DEFAULT_DECISION_MARGIN_SECONDS,
    DEFAULT_LINK_GRACE_SECONDS,
)
from services.common.wiring import (
    Access,
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
    Topic,
    event_pattern,
)

WIRING = ServiceWiring(
    name="approvals",
    tables=(
        # One table, two kinds of item: the approval (pk = its random id) and an
        # "order#<order id>" lookup item written in the same transaction, so OrderCancelled
        # finds the approval by order id and a redelivered ApprovalRequested finds its twin.
        Table(
            name="approvals",
            env_var="APPROVALS_TABLE_NAME",
            partition_key="approval_id",
            ttl_attribute="expires_at",
        ),
    ),
    queues=(Queue(name="requests"),),
    subscriptions=(
        Subscription(
            name="approval-requests",
            queue="requests",
            pattern=event_pattern("shop.workflow", "ApprovalRequested", "OrderCancelled"),
        ),
        # A customer's cancellation races the owner's decision on the same record.
        Subscription(
            name="cancellation-requests",
            queue="requests",
            pattern=event_pattern("shop.orders", "OrderCancellationRequested"),
        ),
    ),
    topics=(Topic(name="owner-notifications", env_var="APPROVALS_OWNER_TOPIC_ARN"),),
    secrets=(
        Secret(
            name="signing-key",
            env_var="APPROVALS_SIGNING_KEY_SECRET",
            description="HMAC-SHA256 key that signs the owner's approval links.",
        ),
    ),
    settings=(
        Setting(
            name="link_grace_seconds",
            env_var="APPROVALS_LINK_GRACE_SECONDS",
            description=(
                "How long after the approval deadline a link still opens (and explains what "
                "happened) before it answers 410 Gone."
            ),
            default=str(DEFAULT_LINK_GRACE_SECONDS),
            local_default="3600",
        ),
        Setting(
            name="decision_margin_seconds",
            env_var="APPROVALS_DECISION_MARGIN_SECONDS",
            description=(
                "How long before the workflow's approval deadline the owner's page stops "
                "accepting decisions, so a confirmed decision always reaches the workflow "
                "before its timer fires. Must stay well below the approval window."
            ),
            default=str(DEFAULT_DECISION_MARGIN_SECONDS),
            local_default="3",
        ),
    ),
    functions=(
        Function(
            name="request",
            handler="services.approvals.handlers.request.lambda_handler",
            trigger=SqsTrigger(queue="requests"),
            permissions=Permissions(
                tables={"approvals": Access.READ_WRITE},
                publish_to_topics=("owner-notifications",),
                read_secrets=("signing-key",),
                # ApprovalWithdrawn / OrderCancellationRefused, the answers to a cancellation.
                put_events=True,
            ),
            description=(
                "Opens an approval and sends the owner signed links; closes it on cancel; "
                "answers a customer's cancellation."
            ),
        ),
        Function(
            name="decision",
            handler="services.approvals.handlers.decision.lambda_handler",
            # The URL is handed to the request function, which writes it into the links.
            trigger=FunctionUrlTrigger(env_var="APPROVALS_BASE_URL"),
            # Public and unauthenticated (the link's signature is the guard): it may only
            # touch its own table, read the key and put events (DESIGN §4).
            permissions=Permissions(
                tables={"approvals": Access.READ_WRITE},
                read_secrets=("signing-key",),
                put_events=True,
            ),
            description="The owner's decision page: GET shows the order, POST records it.",
            # A public URL with no throttle of its own: one owner needs a handful at most.
            reserved_concurrency=5,
        ),
    ),
)
