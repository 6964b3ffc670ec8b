"""The invariants ``shop bench`` checks, on plain evidence: each holds for a clean run and
fails, naming the order, for the fault it is there to catch."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tools.bench.invariants import (
    MOVED_ON,
    RELAYED,
    Evidence,
    InvariantResult,
    LedgerEvidence,
    OrderEvidence,
    TokenEvidence,
    bounces_failed_not_retried,
    check_all,
    effective_decision,
    final_states,
    late_for_the_workflow,
    no_token_left_behind,
    nothing_lost,
    one_email_each,
    one_execution_each,
)

USED = TokenEvidence("used", RELAYED)
ANNOUNCED = TokenEvidence("announced")


def approved(order_id: str = "ord_a") -> OrderEvidence:
    return OrderEvidence(
        order_id=order_id,
        intended="approve",
        effective="approve",
        answer="recorded",
        final_state="feedback_requested",
        mail={"owner": 1, "order_received": 1, "shipment_confirmed": 1, "feedback_request": 1},
        terminal=True,
        token=USED,
    )


def rejected(order_id: str = "ord_r") -> OrderEvidence:
    return OrderEvidence(
        order_id=order_id,
        intended="reject",
        effective="reject",
        answer="recorded",
        final_state="deleted",
        mail={"owner": 1, "order_received": 1, "order_cancelled": 1},
        cancel_reasons=("rejected",),
        terminal=True,
        token=USED,
    )


def timed_out(order_id: str = "ord_t") -> OrderEvidence:
    return OrderEvidence(
        order_id=order_id,
        intended="timeout",
        effective="timeout",
        answer="left",
        final_state="deleted",
        mail={"owner": 1, "order_received": 1, "order_cancelled": 1},
        cancel_reasons=("approval_timeout",),
        terminal=True,
        token=ANNOUNCED,  # nobody uses a timed-out token: TTL removes it
    )


def evidence(*orders: OrderEvidence, **changes: object) -> Evidence:
    orders = orders or (approved(), rejected(), timed_out())
    clean = Evidence(
        orders=orders,
        executions=[(o.order_id, "SUCCEEDED") for o in orders],
        dlq={"notifications/customer-events": 0, "workflow/decisions": 0},
    )
    return replace(clean, **changes)  # type: ignore[arg-type]


def failed(result: InvariantResult, order_id: str) -> bool:
    return not result.ok and any(order_id in problem for problem in result.problems)


def test_a_clean_run_holds_every_invariant() -> None:
    results = check_all(evidence())

    assert [r.ok for r in results] == [True] * 6
    # The bounce check looks only at orders to a bouncing address (none here).
    assert [r.checked for r in results] == [3, 3, 3, 3, 3, 0]


def test_an_approved_order_that_was_deleted_fails_its_state() -> None:
    wrong = replace(approved(), final_state="deleted", cancel_reasons=("approval_timeout",))

    assert failed(final_states(evidence(wrong)), "ord_a")


def test_a_rejection_cancelled_for_the_wrong_reason_fails_its_state() -> None:
    wrong = replace(rejected(), cancel_reasons=("approval_timeout",))

    assert failed(final_states(evidence(wrong)), "ord_r")


def test_two_cancellation_reasons_fail_the_state() -> None:
    wrong = replace(timed_out(), cancel_reasons=("approval_timeout", "rejected"))

    assert failed(final_states(evidence(wrong)), "ord_t")


@pytest.mark.parametrize(
    "mail",
    [
        {"owner": 1, "order_received": 2, "shipment_confirmed": 1, "feedback_request": 1},
        {"owner": 1, "order_received": 1, "shipment_confirmed": 1},
        {"owner": 2, "order_received": 1, "shipment_confirmed": 1, "feedback_request": 1},
        {
            "owner": 1,
            "order_received": 1,
            "shipment_confirmed": 1,
            "feedback_request": 1,
            "order_cancelled": 1,
        },
        {
            "owner": 1,
            "order_received": 1,
            "shipment_confirmed": 1,
            "feedback_request": 1,
            "other": 1,
        },
        {
            "owner": 1,
            "reminder 1": 2,
            "order_received": 1,
            "shipment_confirmed": 1,
            "feedback_request": 1,
        },
        {
            "owner": 1,
            "backup": 2,
            "order_received": 1,
            "shipment_confirmed": 1,
            "feedback_request": 1,
        },
    ],
    ids=[
        "second confirmation",
        "no feedback",
        "owner asked twice",
        "also cancelled",
        "stray",
        "reminded twice",
        "backup asked twice",
    ],
)
def test_any_missing_extra_or_doubled_email_fails(mail: dict[str, int]) -> None:
    assert failed(one_email_each(evidence(replace(approved(), mail=mail))), "ord_a")


def test_reminders_and_the_backup_approver_once_each_hold() -> None:
    reminded = replace(
        timed_out(),
        mail={
            "owner": 1,
            "reminder 1": 1,
            "reminder 2": 1,
            "backup": 1,
            "order_received": 1,
            "order_cancelled": 1,
        },
    )

    assert one_email_each(evidence(reminded)).ok


def test_an_owner_never_asked_in_time_may_have_no_owner_message() -> None:
    late = replace(
        timed_out(),
        intended="approve",
        answer="not_asked",
        mail={"order_received": 1, "order_cancelled": 1},
    )

    assert one_email_each(evidence(late)).ok


def test_an_execution_started_twice_fails() -> None:
    twice = evidence(
        executions=[("ord_a", "SUCCEEDED"), ("ord_a", "SUCCEEDED")], orders=[approved()]
    )

    assert failed(one_execution_each(twice), "ord_a")


def test_an_order_without_an_execution_and_a_stranger_fail() -> None:
    result = one_execution_each(evidence(executions=[("ord_x", "SUCCEEDED")], orders=[approved()]))

    assert failed(result, "ord_a")
    assert failed(result, "ord_x")


@pytest.mark.parametrize(
    ("order", "token"),
    [
        (approved(), None),
        (approved(), TokenEvidence("announced")),
        (rejected(), TokenEvidence("used", MOVED_ON)),
        (timed_out(), TokenEvidence("stored")),
    ],
    ids=["missing", "decided but unused", "decided but not relayed", "owner never asked"],
)
def test_a_token_left_behind_fails(order: OrderEvidence, token: TokenEvidence | None) -> None:
    assert failed(no_token_left_behind(evidence(replace(order, token=token))), order.order_id)


def test_a_timed_out_orders_token_may_stay_announced_or_be_used_too_late() -> None:
    late_click = replace(timed_out(), token=TokenEvidence("used", MOVED_ON))

    assert no_token_left_behind(evidence(timed_out(), late_click)).ok


def test_an_order_that_never_ended_is_lost() -> None:
    assert failed(nothing_lost(evidence(replace(approved(), terminal=False))), "ord_a")


def test_a_running_or_failed_execution_is_lost() -> None:
    result = nothing_lost(evidence(executions=[("ord_a", "RUNNING")], orders=[approved()]))

    assert failed(result, "ord_a")


def test_a_message_in_a_dlq_or_an_order_never_placed_is_lost() -> None:
    result = nothing_lost(evidence(dlq={"workflow/decisions": 2}, not_placed=1))

    assert not result.ok
    assert any("workflow/decisions: 2" in p for p in result.problems)
    assert any("could not be placed" in p for p in result.problems)


def test_long_problem_lists_are_cut_with_a_count() -> None:
    lost = [replace(approved(f"ord_{i}"), terminal=False) for i in range(9)]

    result = next(r for r in check_all(evidence(*lost)) if r.name == "nothing lost")

    assert len(result.problems) == 6
    assert result.problems[-1] == "... and 4 more"


LATE = TokenEvidence(
    "used",
    RELAYED,
    approval_deadline="2026-01-01T00:00:10+00:00",
    used_at="2026-01-01T00:00:10.2+00:00",
)
IN_TIME = replace(LATE, used_at="2026-01-01T00:00:04+00:00")


@pytest.mark.parametrize(
    ("intended", "answer", "token", "reasons", "effective"),
    [
        ("approve", "recorded", IN_TIME, (), "approve"),
        ("reject", "recorded", IN_TIME, ("rejected",), "reject"),
        ("approve", "too_late", ANNOUNCED, ("approval_timeout",), "timeout"),
        ("approve", "not_asked", None, ("approval_timeout",), "timeout"),
        ("timeout", "left", ANNOUNCED, ("approval_timeout",), "timeout"),
        # Relayed as the window closed: whichever way the workflow went is right.
        ("approve", "recorded", LATE, ("approval_timeout",), "timeout"),
        ("approve", "recorded", LATE, (), "approve"),
        ("reject", "recorded", TokenEvidence("used", MOVED_ON), ("approval_timeout",), "timeout"),
        # Relayed in time but the workflow timed out anyway: still the owner's, so it fails.
        ("approve", "recorded", IN_TIME, ("approval_timeout",), "approve"),
        # The POST's answer was lost: the relay says whether it landed.
        ("approve", "unknown", IN_TIME, (), "approve"),
        ("approve", "unknown", ANNOUNCED, ("approval_timeout",), "timeout"),
        # A decision the relay never used stays the owner's: the invariants must catch it.
        ("approve", "recorded", ANNOUNCED, ("approval_timeout",), "approve"),
    ],
)
def test_effective_decision(
    intended: str,
    answer: str,
    token: TokenEvidence | None,
    reasons: tuple[str, ...],
    effective: str,
) -> None:
    assert effective_decision(intended, answer, token, reasons) == effective  # type: ignore[arg-type]


def test_lateness_is_read_from_the_relays_outcome_or_its_timestamps() -> None:
    assert late_for_the_workflow(LATE)
    assert late_for_the_workflow(TokenEvidence("used", MOVED_ON))
    assert not late_for_the_workflow(IN_TIME)
    assert not late_for_the_workflow(ANNOUNCED)
    assert not late_for_the_workflow(None)


def bounced(order_id: str = "ord_b", *, attempts: int = 1) -> OrderEvidence:
    entry = LedgerEvidence("failed", "bounced: Permanent/General", attempts)
    return replace(
        rejected(order_id),
        bounces=True,
        ledger={"order_received": entry, "order_cancelled": entry},
    )


def test_bounced_emails_recorded_failed_after_one_send_hold() -> None:
    assert bounces_failed_not_retried(evidence(bounced(), approved())).ok


@pytest.mark.parametrize(
    "order",
    [
        bounced(attempts=2),
        replace(bounced(), ledger={"order_received": LedgerEvidence("delivered")}),
        replace(approved(), ledger={"order_received": LedgerEvidence("failed", "MessageRejected")}),
    ],
    ids=["sent-twice", "not-recorded-as-bounced", "a-good-address-failed"],
)
def test_a_bounce_sent_again_or_not_recorded_or_a_failure_elsewhere_fails(
    order: OrderEvidence,
) -> None:
    assert failed(bounces_failed_not_retried(evidence(order)), order.order_id)
