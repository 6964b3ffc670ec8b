"""What the approvals service owns and how its two functions are triggered."""

from __future__ import annotations

from services.approvals.settings import (
    DEFAULT_DECISION_MARGIN_SECONDS,
    DEFAULT_LINK_GRACE_SECONDS,
    DEFAULT_REMINDER_POINTS,
)
from services.common.wiring import (
    Access,
    Function,
    FunctionUrlTrigger,
    Permissions,
    Queue,
    ScheduleGroup,
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
    # "reminders" is fed by the reminder timers only (no subscription).
    queues=(Queue(name="requests"), Queue(name="reminders")),
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
    topics=(
        Topic(name="owner-notifications", env_var="APPROVALS_OWNER_TOPIC_ARN"),
        # Who else may decide when the owner has not by the last reminder; none: nobody.
        Topic(
            name="backup-approver-notifications",
            env_var="APPROVALS_BACKUP_TOPIC_ARN",
            subscriber="backup_approver_email",
            optional=True,
        ),
    ),
    schedule_groups=(
        # One-time timers, one per reminder of an open approval, set when it opens.
        ScheduleGroup(name="reminders", target_queue="reminders", env_prefix="APPROVALS_REMINDERS"),
    ),
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
        Setting(
            name="reminder_points",
            env_var="APPROVALS_REMINDER_POINTS",
            description=(
                "When the owner is reminded of an open approval, in percent of the time they "
                "have to decide (comma-separated, ascending, e.g. 50,90; empty: never). The "
                "last reminder also goes to the backup approver when one is configured."
            ),
            default=DEFAULT_REMINDER_POINTS,
            # A local window is seconds long: earlier points leave the owner time to answer.
            local_default="30,60",
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
                create_schedules=("reminders",),
            ),
            description=(
                "Opens an approval, sets its reminder timers and sends the owner signed links; "
                "closes it on cancel; answers a customer's cancellation."
            ),
        ),
        Function(
            name="reminder",
            handler="services.approvals.handlers.reminder.lambda_handler",
            trigger=SqsTrigger(queue="reminders"),
            permissions=Permissions(
                tables={"approvals": Access.READ_WRITE},
                publish_to_topics=("owner-notifications", "backup-approver-notifications"),
                read_secrets=("signing-key",),
                put_events=True,
            ),
            description=(
                "Reminds the owner of an open approval when its timer fires; the last "
                "reminder also asks the backup approver."
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
                delete_schedules=("reminders",),
            ),
            description="The owner's decision page: GET shows the order, POST records it.",
            # A public URL with no throttle of its own: one owner needs a handful at most.
            reserved_concurrency=5,
        ),
    ),
)
