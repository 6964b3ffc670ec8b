"""The invariants a bench run must hold, checked on plain data (``Evidence``).

What "the decision" means: the owner's *effective* decision (``effective_decision``): the
intended one when the owner's POST was the decision that counted (HTTP 200); a timeout when
the owner's message came after the window, or the page said it was too late. A decision
that reached the workflow as its window closed may end either way (see
``late_for_the_workflow``). Under load, or with a message parked in a DLQ, an intended
decision can miss the window; the run reports how many did, and such an order must end
exactly like a timed-out one.

Tokens: the workflow service marks a token ``used`` when it relays a decision (or finds the
workflow gone). Nobody uses the token of a timed-out order: Step Functions closed the task
and the record stays ``announced`` until its TTL. So "no token left behind" means: every
order has its token record; none is still ``stored`` (the owner was never asked); every
approved or rejected order's token is ``used`` with the decision relayed; a timed-out order's
token is dead (its execution has ended, which ``nothing lost`` checks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tools.bench.config import Decision
from tools.bench.observe import BACKUP, OWNER, REMINDER

EXPECTED_STATE: dict[Decision, str] = {
    "approve": "feedback_requested",
    "reject": "deleted",
    "timeout": "deleted",
}
EXPECTED_REASON: dict[Decision, str | None] = {
    "approve": None,
    "reject": "rejected",
    "timeout": "approval_timeout",
}
CUSTOMER_EMAILS: dict[Decision, tuple[str, ...]] = {
    "approve": ("order_received", "shipment_confirmed", "feedback_request"),
    "reject": ("order_received", "order_cancelled"),
    "timeout": ("order_received", "order_cancelled"),
}
RELAYED = "DecisionRelayed"
MOVED_ON = "DecisionAfterWorkflowMovedOn"
MAX_PROBLEMS_SHOWN = 5


@dataclass(frozen=True)
class TokenEvidence:
    status: str  # stored | announced | used
    outcome: str | None = None  # what the relay did with the decision
    approval_deadline: str | None = None
    used_at: str | None = None


def late_for_the_workflow(token: TokenEvidence | None) -> bool:
    """The relay reached Step Functions when the approval window had closed (or was just
    closing): the owner's decision and the timeout raced. AWS answers such a late
    SendTaskSuccess with TaskTimedOut (outcome ``DecisionAfterWorkflowMovedOn``); moto
    5.2.5 accepts it, so its being used at or after the deadline counts as well."""
    if token is None:
        return False
    if token.outcome == MOVED_ON:
        return True
    return bool(token.used_at and token.approval_deadline) and (
        datetime.fromisoformat(str(token.used_at))
        >= datetime.fromisoformat(str(token.approval_deadline))
    )


def effective_decision(
    intended: Decision,
    answer: str,
    token: TokenEvidence | None,
    cancel_reasons: tuple[str, ...] = (),
) -> Decision:
    """The decision the order must have ended by.

    The owner's, when the owner's POST counted (HTTP 200); a timeout when the owner was not
    asked in time, left it, or was told it was too late. When the decision reached the
    workflow as its window closed, either ending is right, and the one the workflow took
    (the reason it cancelled with, if it did) is the one the rest must agree with.
    """
    if answer == "unknown":  # our POST may have landed; the relay knows if it did
        answer = "recorded" if token is not None and token.status == "used" else "too_late"
    if intended == "timeout" or answer != "recorded":
        return "timeout"
    if late_for_the_workflow(token) and "approval_timeout" in cancel_reasons:
        return "timeout"
    return intended


@dataclass(frozen=True)
class LedgerEvidence:
    """One customer email as notifications' ledger has it (no address)."""

    status: str  # sending | sent | delivered | complained | failed
    reason: str | None = None
    attempts: int = 1


@dataclass(frozen=True)
class OrderEvidence:
    order_id: str
    intended: Decision
    effective: Decision
    answer: str  # load.Answer value
    final_state: str  # "deleted" (404) or the order's status
    mail: Mapping[str, int]  # message kind (owner, order_received, ...) -> how many
    cancel_reasons: tuple[str, ...] = ()  # distinct reasons of OrderCancelled on the bus
    terminal: bool = False  # its last email (feedback or cancellation) arrived
    token: TokenEvidence | None = None
    bounces: bool = False  # placed with SES's simulator address that always bounces
    ledger: Mapping[str, LedgerEvidence] = field(default_factory=dict)  # by email kind


@dataclass(frozen=True)
class Evidence:
    orders: Sequence[OrderEvidence]
    executions: Sequence[tuple[str, str]]  # (name, status) of every execution of the machine
    dlq: Mapping[str, int]  # messages per DLQ label
    not_placed: int = 0  # orders whose POST never got a 201


@dataclass(frozen=True)
class InvariantResult:
    name: str
    ok: bool
    checked: int
    problems: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "checked": self.checked,
            "problems": list(self.problems),
        }


def _result(name: str, checked: int, problems: list[str]) -> InvariantResult:
    return InvariantResult(name, not problems, checked, tuple(problems))


def final_states(evidence: Evidence) -> InvariantResult:
    problems = []
    for order in evidence.orders:
        expected = EXPECTED_STATE[order.effective]
        if order.final_state != expected:
            problems.append(f"{order.order_id}: {order.final_state}, expected {expected}")
        reason = EXPECTED_REASON[order.effective]
        reasons = (reason,) if reason else ()
        if tuple(sorted(set(order.cancel_reasons))) != reasons:
            problems.append(
                f"{order.order_id}: cancelled as {list(order.cancel_reasons)}, "
                f"expected {list(reasons)}"
            )
    return _result("every order ended as its decision implies", len(evidence.orders), problems)


def one_email_each(evidence: Evidence) -> InvariantResult:
    problems = []
    for order in evidence.orders:
        expected = Counter(CUSTOMER_EMAILS[order.effective])
        # The owner is not asked about an order whose window had closed before the request
        # arrived (e.g. redriven from a DLQ); otherwise exactly once.
        owner_allowed = {0, 1} if order.answer == "not_asked" else {1}
        # Reminders and the backup approver's message depend on timing: each at most once.
        timed = {k: n for k, n in order.mail.items() if k == BACKUP or k.startswith(REMINDER)}
        got = {k: n for k, n in order.mail.items() if k != OWNER and k not in timed and n}
        twice = [k for k, n in timed.items() if n > 1]
        if got != dict(expected) or order.mail.get(OWNER, 0) not in owner_allowed or twice:
            problems.append(f"{order.order_id} ({order.effective}): {dict(order.mail)}")
    return _result("exactly one email of each expected kind", len(evidence.orders), problems)


def one_execution_each(evidence: Evidence) -> InvariantResult:
    names = Counter(name for name, _ in evidence.executions)
    orders = {order.order_id for order in evidence.orders}
    problems = [f"{name}: {n} executions" for name, n in names.items() if n > 1]
    problems += [f"{o}: no execution" for o in sorted(orders) if o not in names]
    problems += [f"{name}: not an order of this run" for name in names if name not in orders]
    return _result("no execution started twice", len(evidence.executions), problems)


def no_token_left_behind(evidence: Evidence) -> InvariantResult:
    problems = []
    for order in evidence.orders:
        token = order.token
        if token is None:
            problems.append(f"{order.order_id}: no token record")
        elif token.status == "stored":
            problems.append(f"{order.order_id}: token stored but the owner never asked")
        elif order.effective != "timeout" and (token.status, token.outcome) != ("used", RELAYED):
            problems.append(
                f"{order.order_id}: decided {order.effective}, token {token.status}/{token.outcome}"
            )
    return _result("no token left behind", len(evidence.orders), problems)


def nothing_lost(evidence: Evidence) -> InvariantResult:
    problems = []
    if evidence.not_placed:
        problems.append(f"{evidence.not_placed} order(s) could not be placed")
    problems += [f"{o.order_id}: never reached its end" for o in evidence.orders if not o.terminal]
    problems += [
        f"{name}: execution {status}"
        for name, status in evidence.executions
        if status != "SUCCEEDED"
    ]
    problems += [f"{label}: {n} message(s) in the DLQ" for label, n in evidence.dlq.items() if n]
    return _result("nothing lost", len(evidence.orders), problems)


def bounces_failed_not_retried(evidence: Evidence) -> InvariantResult:
    """Every email to a bouncing address ends ``failed`` (bounced) after one send; no email
    to any other address fails."""
    problems = []
    for order in evidence.orders:
        for kind, entry in sorted(order.ledger.items()):
            if not order.bounces:
                if entry.status == "failed":
                    problems.append(f"{order.order_id} {kind}: failed ({entry.reason})")
                continue
            bounced = entry.status == "failed" and (entry.reason or "").startswith("bounced")
            if not bounced or entry.attempts != 1:
                problems.append(
                    f"{order.order_id} {kind}: {entry.status} ({entry.reason}), "
                    f"{entry.attempts} attempt(s); expected bounced after 1"
                )
        if order.bounces and set(order.ledger) != set(CUSTOMER_EMAILS[order.effective]):
            problems.append(f"{order.order_id}: ledger has {sorted(order.ledger)}")
    checked = sum(1 for order in evidence.orders if order.bounces)
    return _result("bounced addresses recorded as failed, not retried", checked, problems)


CHECKS: tuple[Callable[[Evidence], InvariantResult], ...] = (
    final_states,
    one_email_each,
    one_execution_each,
    no_token_left_behind,
    nothing_lost,
    bounces_failed_not_retried,
)


def check_all(evidence: Evidence) -> list[InvariantResult]:
    results = []
    for check in CHECKS:
        result = check(evidence)
        if len(result.problems) > MAX_PROBLEMS_SHOWN:
            more = len(result.problems) - MAX_PROBLEMS_SHOWN
            shown = (*result.problems[:MAX_PROBLEMS_SHOWN], f"... and {more} more")
            result = InvariantResult(result.name, result.ok, result.checked, shown)
        results.append(result)
    return results
