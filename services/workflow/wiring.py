"""What the workflow service owns and how its functions are triggered (read by CDK and the
local stack)."""

from __future__ import annotations

from events.models import ApprovalWithdrawn, OrderApproved, OrderPlaced, OrderRejected
from services.common.wiring import (
    Access,
    Function,
    Permissions,
    Queue,
    ServiceWiring,
    Setting,
    SqsTrigger,
    StateMachine,
    Subscription,
    Table,
    event_pattern,
)
from services.workflow.definition import (
    APPROVAL_WINDOW_SECONDS,
    EVENT_BUS_NAME,
    FEEDBACK_DELAY_SECONDS,
    TOKEN_QUEUE_URL,
)

STATE_MACHINE = "order-journey"
TOKENS_TABLE = "tokens"
ORDER_PLACED_QUEUE = "order-placed"
DECISIONS_QUEUE = "decisions"
TOKENS_QUEUE = "tokens"

WIRING = ServiceWiring(
    name="workflow",
    settings=(
        Setting(
            name="approval_window_seconds",
            description="How long the owner has to approve an order before it is cancelled.",
            default=str(24 * 60 * 60),
            local_default="20",
        ),
        Setting(
            name="feedback_delay_seconds",
            description="How long after shipment the customer is asked for feedback.",
            default=str(24 * 60 * 60),
            local_default="5",
        ),
    ),
    tables=(
        Table(
            name=TOKENS_TABLE,
            env_var="WORKFLOW_TOKENS_TABLE_NAME",
            partition_key="order_id",
            ttl_attribute="expires_at",
        ),
    ),
    queues=(
        Queue(name=ORDER_PLACED_QUEUE),
        Queue(name=DECISIONS_QUEUE),
        # Private: only the state machine writes here (no subscription); it carries tokens.
        Queue(name=TOKENS_QUEUE),
    ),
    subscriptions=(
        Subscription(
            name=ORDER_PLACED_QUEUE,
            queue=ORDER_PLACED_QUEUE,
            pattern=event_pattern(OrderPlaced.source, OrderPlaced.detail_type),
        ),
        Subscription(
            name=DECISIONS_QUEUE,
            queue=DECISIONS_QUEUE,
            pattern=event_pattern(
                OrderApproved.source,
                OrderApproved.detail_type,
                OrderRejected.detail_type,
                ApprovalWithdrawn.detail_type,
            ),
        ),
    ),
    state_machines=(
        StateMachine(
            name=STATE_MACHINE,
            env_var="WORKFLOW_STATE_MACHINE_ARN",
            definition_file="services/workflow/statemachine.asl.json",
            substitutions={
                TOKEN_QUEUE_URL: f"queue_url:{TOKENS_QUEUE}",
                EVENT_BUS_NAME: "bus_name",
                APPROVAL_WINDOW_SECONDS: "setting:approval_window_seconds",
                FEEDBACK_DELAY_SECONDS: "setting:feedback_delay_seconds",
            },
            sends_to_queues=(TOKENS_QUEUE,),
            puts_events=True,
        ),
    ),
    functions=(
        Function(
            name="starter",
            handler="services.workflow.handlers.starter.lambda_handler",
            trigger=SqsTrigger(queue=ORDER_PLACED_QUEUE),
            permissions=Permissions(start_executions=(STATE_MACHINE,)),
            description="Starts the order's workflow execution (named by the order id).",
        ),
        Function(
            name="relay-token",
            handler="services.workflow.handlers.relay_token.lambda_handler",
            trigger=SqsTrigger(queue=TOKENS_QUEUE),
            permissions=Permissions(
                tables={TOKENS_TABLE: Access.READ_WRITE},
                put_events=True,
            ),
            description="Keeps the workflow's task token and publishes ApprovalRequested.",
        ),
        Function(
            name="relay-decision",
            handler="services.workflow.handlers.relay_decision.lambda_handler",
            trigger=SqsTrigger(queue=DECISIONS_QUEUE),
            permissions=Permissions(
                tables={TOKENS_TABLE: Access.READ_WRITE},
                send_task_results=True,
            ),
            description=(
                "Turns OrderApproved / OrderRejected / ApprovalWithdrawn into SendTaskSuccess / "
                "Failure."
            ),
        ),
    ),
)
