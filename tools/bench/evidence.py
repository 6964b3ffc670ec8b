"""What the stack ended with, read back as plain data for the invariants.

Customers' and owner's messages come from the mailbox, final states from ``GET /orders``
(as a customer sees them), executions from Step Functions, tokens from the workflow's table,
cancellation reasons from the bus tap, DLQ depths from SQS.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from local import dlq
from local.ses_events import BOUNCE_ADDRESS
from local.stack import LocalStack
from services.workflow.wiring import TOKENS_TABLE
from tools.bench.invariants import (
    Evidence,
    LedgerEvidence,
    OrderEvidence,
    TokenEvidence,
    effective_decision,
)
from tools.bench.load import Journey, final_state
from tools.bench.observe import MailWatch

LEDGER_TABLE = "sent-emails"
TERMINAL_KINDS = ("feedback_request", "order_cancelled")


def executions(sfn: Any, state_machine_arn: str) -> list[tuple[str, str]]:
    found = []
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=state_machine_arn):
        found += [(e["name"], e["status"]) for e in page["executions"]]
    return found


def tokens(ddb: Any, table: str) -> dict[str, TokenEvidence]:
    found = {}
    for page in ddb.get_paginator("scan").paginate(
        TableName=table,
        # Never the token itself.
        ProjectionExpression="order_id, #s, outcome, approval_deadline, used_at",
        ExpressionAttributeNames={"#s": "status"},
    ):
        for item in page["Items"]:
            found[item["order_id"]["S"]] = TokenEvidence(
                status=item["status"]["S"],
                outcome=item.get("outcome", {}).get("S"),
                approval_deadline=item.get("approval_deadline", {}).get("S"),
                used_at=item.get("used_at", {}).get("S"),
            )
    return found


def ledger(ddb: Any, table: str) -> dict[str, dict[str, LedgerEvidence]]:
    found: dict[str, dict[str, LedgerEvidence]] = defaultdict(dict)
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page["Items"]:
            found[item["order_id"]["S"]][item["kind"]["S"]] = LedgerEvidence(
                status=item["status"]["S"],
                reason=item.get("reason", {}).get("S"),
                attempts=int(item.get("attempts", {}).get("N", "1")),
            )
    return found


def cancel_reasons(stack: LocalStack) -> dict[str, set[str]]:
    reasons: dict[str, set[str]] = defaultdict(set)
    for event in stack.tap.collect():
        if event.detail_type == "OrderCancelled":
            reasons[event.order_id].add(str(event.detail.get("data", {}).get("reason")))
    return reasons


def running_executions(stack: LocalStack) -> int:
    sfn = stack.client("stepfunctions")
    return sum(
        len(page["executions"])
        for page in sfn.get_paginator("list_executions").paginate(
            stateMachineArn=stack.state_machine_arn, statusFilter="RUNNING"
        )
    )


def is_terminal(watch: MailWatch, order_id: str) -> bool:
    kinds = watch.by_kind(order_id)
    return any(kinds.get(kind) for kind in TERMINAL_KINDS)


def gather(
    stack: LocalStack, base_url: str, watch: MailWatch, journeys: Sequence[Journey], workers: int
) -> Evidence:
    watch.refresh()
    placed = [j for j in journeys if j.order_id]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench-get") as pool:
        states = dict(
            zip(
                [j.order_id for j in placed],
                pool.map(lambda j: final_state(base_url, j), placed),
                strict=True,
            )
        )
    token_records = tokens(
        stack.client("dynamodb"), stack.provisioned["workflow"].tables[TOKENS_TABLE]
    )
    reasons = cancel_reasons(stack)
    emails = ledger(
        stack.client("dynamodb"), stack.provisioned["notifications"].tables[LEDGER_TABLE]
    )
    orders = []
    for journey in placed:
        mail = {kind: len(items) for kind, items in watch.by_kind(journey.order_id).items()}
        answer = journey.answer.value if journey.answer else "none"
        token = token_records.get(journey.order_id)
        cancelled = tuple(sorted(reasons.get(journey.order_id, set())))
        orders.append(
            OrderEvidence(
                order_id=journey.order_id,
                intended=journey.intended,
                effective=effective_decision(journey.intended, answer, token, cancelled),
                answer=answer,
                final_state=states[journey.order_id],
                mail=mail,
                cancel_reasons=cancelled,
                terminal=is_terminal(watch, journey.order_id),
                token=token,
                bounces=journey.email == BOUNCE_ADDRESS,
                ledger=emails.get(journey.order_id, {}),
            )
        )
    return Evidence(
        orders=orders,
        executions=executions(stack.client("stepfunctions"), stack.state_machine_arn),
        dlq=dlq.counts(stack.client("sqs"), stack.settings.prefix),
        not_placed=len(journeys) - len(placed),
    )
