"""What each handler does per record, read off the domain and adapter code.

One entry per (function, trigger): the DynamoDB reads and writes on the happy path, the events
it puts, emails and owner messages it sends, and whether it needs the link-signing key. The
wirings say which function a message reaches; this table says what that costs once there.
``source`` names the code each entry was read from, so a change there has an obvious place to
be reflected here (and the tests check every entry against the wirings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StreamEvent = Literal["INSERT", "MODIFY", "REMOVE"]

# Triggers that are not bus events (which are named by their detail-type).
POST_ORDER = "POST /orders"
TOKEN_MESSAGE = "token message"  # noqa: S105 - a trigger name, not a secret
OPEN_LINK = "GET link"
CONFIRM_APPROVE = "POST link (approve)"
CONFIRM_REJECT = "POST link (reject)"


def stream_trigger(event: StreamEvent) -> str:
    return f"stream {event}"


@dataclass(frozen=True)
class Read:
    item: str  # an ItemSizes kind


@dataclass(frozen=True)
class Write:
    item: str
    table: str  # "<service>/<table>", to find a stream on it
    stream: StreamEvent | None = None  # the record a write leaves on the table's stream
    transactional: bool = False
    weight: float = 1.0  # how often it happens per invocation (optional writes)


@dataclass(frozen=True)
class Operation:
    source: str
    reads: tuple[Read, ...] = ()
    writes: tuple[Write, ...] = ()
    emits: tuple[str, ...] = ()  # detail-types put on the bus
    ses_emails: int = 0
    sns_publishes: int = 0
    sns_email_notifications: int = 0
    needs_signing_key: bool = False
    starts_execution: bool = False


_ORDER = "orders.order"
_TOKEN = "workflow.token"  # noqa: S105 - an item kind, not a secret
_APPROVAL = "approvals.approval"
_LOOKUP = "approvals.lookup"
_LEDGER = "notifications.ledger"
_STEP = "orders.timeline_step"
_HEAD = "orders.timeline_head"
# Steps an order's timeline holds when it is cancelled (each gets the TTL then).
_STEPS_AT_CANCELLATION = 6


def operations(idempotency_key_share: float) -> dict[tuple[str, str], Operation]:
    """``idempotency_key_share``: the share of POSTs that carry an Idempotency-Key (each costs
    Powertools' in-progress put and its completing update on the idempotency table)."""
    status = Operation(
        source="orders/domain/progress.py apply_status -> DynamoOrdersStore.advance_status "
        "(conditional update)",
        writes=(Write(_ORDER, "orders/orders", stream="MODIFY"),),
    )
    cancellation_answer = Operation(
        source="orders/domain/cancelling.py record_answer -> DynamoCancellations.answer "
        "(conditional update)",
        writes=(Write(_ORDER, "orders/orders", stream="MODIFY"),),
    )
    email = Operation(
        source="notifications/domain/notify.py notify: ledger claim (conditional put), "
        "SES SendEmail, ledger mark_sent (update)",
        writes=(
            Write(_LEDGER, "notifications/sent-emails"),
            Write(_LEDGER, "notifications/sent-emails"),
        ),
        emits=("EmailOutcomeRecorded",),
        ses_emails=1,
    )
    # The head is read before the step is put and again after it (a cancellation between).
    step_reads = (Read(_HEAD), Read(_HEAD))
    timeline_step = Operation(
        source="orders/domain/timeline.py record -> DynamoTimelineStore.add: head gets, "
        "step put (conditional)",
        reads=step_reads,
        writes=(Write(_STEP, "orders/timeline"),),
    )
    relay_decision = Operation(
        source="workflow/domain/relay.py relay_decision: token get (consistent), "
        "SendTaskSuccess/Failure (no charge), mark_used (update)",
        reads=(Read(_TOKEN),),
        writes=(Write(_TOKEN, "workflow/tokens"),),
    )
    return {
        ("orders/api", POST_ORDER): Operation(
            source="orders/handlers/api.py post_order -> DynamoOrdersStore.create "
            "(conditional put); Powertools idempotency put + update when a key is sent",
            writes=(
                Write(_ORDER, "orders/orders", stream="INSERT"),
                Write("orders.idempotency", "orders/idempotency", weight=idempotency_key_share),
                Write("orders.idempotency", "orders/idempotency", weight=idempotency_key_share),
            ),
        ),
        ("orders/outbox", stream_trigger("INSERT")): Operation(
            source="orders/handlers/outbox.py record_handler: OrderPlaced for an INSERT",
            emits=("OrderPlaced",),
        ),
        ("orders/status", "ApprovalRequested"): status,
        ("orders/status", "OrderShipped"): status,
        ("orders/status", "FeedbackDue"): status,
        ("orders/status", "OrderCancelled"): Operation(
            source="orders/domain/progress.py cancel -> DynamoOrdersStore.delete",
            writes=(Write(_ORDER, "orders/orders", stream="REMOVE"),),
        ),
        ("orders/cancellations", "ApprovalWithdrawn"): cancellation_answer,
        ("orders/cancellations", "OrderCancellationRefused"): cancellation_answer,
        ("workflow/starter", "OrderPlaced"): Operation(
            source="workflow/domain/starter.py start_workflow: StartExecution (billed as "
            "the execution's state transitions)",
            starts_execution=True,
        ),
        ("workflow/relay-token", TOKEN_MESSAGE): Operation(
            source="workflow/domain/relay.py keep_token: token put (conditional), "
            "ApprovalRequested, mark_announced (update)",
            writes=(Write(_TOKEN, "workflow/tokens"), Write(_TOKEN, "workflow/tokens")),
            emits=("ApprovalRequested",),
        ),
        ("workflow/relay-decision", "OrderApproved"): relay_decision,
        ("workflow/relay-decision", "OrderRejected"): relay_decision,
        ("workflow/relay-decision", "ApprovalWithdrawn"): relay_decision,
        ("approvals/request", "ApprovalRequested"): Operation(
            source="approvals/domain/requests.py request_approval: lookup get (a miss), "
            "transaction of approval + lookup puts, SNS publish, mark_notified (update)",
            reads=(Read(_LOOKUP),),
            writes=(
                Write(_APPROVAL, "approvals/approvals", transactional=True),
                Write(_LOOKUP, "approvals/approvals", transactional=True),
                Write(_APPROVAL, "approvals/approvals"),
            ),
            sns_publishes=1,
            sns_email_notifications=1,  # the owner's email subscription (infra)
            needs_signing_key=True,
        ),
        ("approvals/request", "OrderCancelled"): Operation(
            source="approvals/domain/requests.py close_on_cancel: lookup + approval gets, "
            "cancel_pending or note_cancellation (update)",
            reads=(Read(_LOOKUP), Read(_APPROVAL)),
            writes=(Write(_APPROVAL, "approvals/approvals"),),
        ),
        ("approvals/request", "OrderCancellationRequested"): Operation(
            source="approvals/domain/withdrawals.py answer_cancellation: lookup + approval "
            "gets, withdraw (conditional update), ApprovalWithdrawn or OrderCancellationRefused",
            reads=(Read(_LOOKUP), Read(_APPROVAL)),
            writes=(Write(_APPROVAL, "approvals/approvals"),),
            emits=("ApprovalWithdrawn",),
        ),
        ("approvals/decision", OPEN_LINK): Operation(
            source="approvals/handlers/decision.py show_approval: verify, view -> get",
            reads=(Read(_APPROVAL),),
            needs_signing_key=True,
        ),
        ("approvals/decision", CONFIRM_APPROVE): Operation(
            source="approvals/domain/decisions.py decide: get, record_decision (conditional "
            "update), OrderApproved, mark_published (update)",
            reads=(Read(_APPROVAL),),
            writes=(
                Write(_APPROVAL, "approvals/approvals"),
                Write(_APPROVAL, "approvals/approvals"),
            ),
            emits=("OrderApproved",),
            needs_signing_key=True,
        ),
        ("approvals/decision", CONFIRM_REJECT): Operation(
            source="approvals/domain/decisions.py decide: as for approve, with OrderRejected",
            reads=(Read(_APPROVAL),),
            writes=(
                Write(_APPROVAL, "approvals/approvals"),
                Write(_APPROVAL, "approvals/approvals"),
            ),
            emits=("OrderRejected",),
            needs_signing_key=True,
        ),
        ("orders/timeline", "OrderPlaced"): Operation(
            source="orders/domain/timeline.py record: order get, set_owner (update), add",
            reads=(Read(_ORDER), *step_reads),
            writes=(Write(_HEAD, "orders/timeline"), Write(_STEP, "orders/timeline")),
        ),
        ("orders/timeline", "ApprovalRequested"): timeline_step,
        ("orders/timeline", "OrderApproved"): timeline_step,
        ("orders/timeline", "OrderRejected"): timeline_step,
        ("orders/timeline", "OrderShipped"): timeline_step,
        ("orders/timeline", "FeedbackDue"): timeline_step,
        ("orders/timeline", "EmailOutcomeRecorded"): timeline_step,
        ("orders/timeline", "OrderCancellationRequested"): timeline_step,
        ("orders/timeline", "ApprovalWithdrawn"): timeline_step,
        ("orders/timeline", "OrderCancellationRefused"): timeline_step,
        ("orders/timeline", "ApprovalReminded"): timeline_step,
        ("orders/timeline", "ApprovalEscalated"): timeline_step,
        ("orders/timeline", "OrderCancelled"): Operation(
            source="orders/domain/timeline.py record: add, then expire_at: head update, "
            "query, one update per step",
            reads=(*step_reads, Read(_STEP)),
            writes=(
                Write(_STEP, "orders/timeline"),
                Write(_HEAD, "orders/timeline"),
                Write(_STEP, "orders/timeline", weight=_STEPS_AT_CANCELLATION),
            ),
        ),
        ("notifications/email", "OrderPlaced"): email,
        ("notifications/email", "OrderShipped"): email,
        ("notifications/email", "OrderCancelled"): email,
        ("notifications/email", "FeedbackDue"): email,
    }
