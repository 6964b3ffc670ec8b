"""At most one email per order and kind, whatever the queue delivers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.notify import (
    ClaimPendingError,
    ClaimPolicy,
    CustomerEvent,
    DeliveryDependencies,
    EmailDependencies,
    Outcome,
    Unsubscribe,
    notify,
    record_delivery,
)
from services.notifications.models import DeliveryReport, EmailKind, RenderedEmail
from services.notifications.unsubscribe import UnsubscribeLinks, recipient_id
from tests.unit.notifications.fakes import (
    InMemoryLedger,
    InMemoryOptOuts,
    RecordingAnnouncer,
    RecordingMailer,
    rejected,
    throttled,
)
from tests.unit.notifications.samples import (
    feedback_due,
    order_cancelled,
    order_placed,
    order_shipped,
)

RENDERER = JinjaRenderer()
START = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
POLICY = ClaimPolicy(stale_after=timedelta(minutes=5), max_attempts=3)
UNSUBSCRIBE_BASE = "https://unsubscribe.example.test"
LINKS = UnsubscribeLinks(lambda: b"u" * 32)


def unsubscribe(opt_outs: InMemoryOptOuts | None = None) -> Unsubscribe:
    return Unsubscribe(
        opt_outs=opt_outs or InMemoryOptOuts(),
        link=lambda address: LINKS.url(UNSUBSCRIBE_BASE, address),
    )


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def send(
    event: CustomerEvent,
    ledger: InMemoryLedger,
    mailer: RecordingMailer,
    clock: Clock | None = None,
    opt_outs: InMemoryOptOuts | None = None,
    *,
    announcer: RecordingAnnouncer | None = None,
) -> Outcome:
    deps = EmailDependencies(
        ledger, mailer, RENDERER, POLICY, unsubscribe(opt_outs), announcer or RecordingAnnouncer()
    )
    return notify(event, deps, now=clock or Clock())


def deliver_report(
    report: DeliveryReport, ledger: InMemoryLedger, announcer: RecordingAnnouncer | None = None
) -> bool:
    return record_delivery(report, DeliveryDependencies(ledger, announcer or RecordingAnnouncer()))


@pytest.fixture
def ledger() -> InMemoryLedger:
    return InMemoryLedger()


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


def test_an_event_sends_its_email_and_records_it(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    outcome = send(order_placed(), ledger, mailer)

    assert outcome is Outcome.SENT
    assert [(m.to, m.email.subject) for m in mailer.sent] == [
        ("ada@example.com", "We received your order ord_1001")
    ]
    entry = ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED)
    assert entry is not None
    assert entry.status == "sent"
    assert entry.message_id == "msg-1"
    assert entry.sent_at is not None
    assert entry.sent_at.tzinfo is not None


def test_a_duplicate_delivery_sends_nothing(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    event = order_shipped()

    first = send(event, ledger, mailer)
    second = send(event, ledger, mailer)

    assert (first, second) == (Outcome.SENT, Outcome.ALREADY_SETTLED)
    assert len(mailer.sent) == 1


def test_another_event_of_the_same_kind_for_the_order_sends_nothing(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    # e.g. a producer that re-emitted with a new event id
    send(order_cancelled(reason="rejected"), ledger, mailer)
    outcome = send(order_cancelled(reason="rejected"), ledger, mailer)

    assert outcome is Outcome.ALREADY_SETTLED
    assert len(mailer.sent) == 1


def test_each_kind_is_sent_once_per_order(ledger: InMemoryLedger, mailer: RecordingMailer) -> None:
    for event in (order_placed(), order_shipped(), feedback_due(), order_placed("ord_2002")):
        send(event, ledger, mailer)

    assert [m.email.subject for m in mailer.sent] == [
        "We received your order ord_1001",
        "Your order ord_1001 has shipped",
        "How was your order ord_1001?",
        "We received your order ord_2002",
    ]


def test_a_throttled_send_releases_the_claim_so_the_retry_sends_once(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    event = order_placed()
    mailer.failures.append(throttled())

    with pytest.raises(Exception, match="TooManyRequests"):
        send(event, ledger, mailer)
    assert ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED) is None

    assert send(event, ledger, mailer) is Outcome.SENT
    assert send(event, ledger, mailer) is Outcome.ALREADY_SETTLED
    assert len(mailer.sent) == 1


def test_a_timed_out_send_is_sent_again_once_its_claim_is_stale_and_ses_never_reported_it(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    # Given an SES call that timed out before SES took the email
    event = order_placed()
    clock = Clock()
    mailer.failures.append(TimeoutError("read timeout"))
    with pytest.raises(TimeoutError):
        send(event, ledger, mailer, clock)

    # When the message is redelivered while the claim is young, then after it went stale
    clock.now += timedelta(minutes=1)
    with pytest.raises(ClaimPendingError):
        send(event, ledger, mailer, clock)
    clock.now += POLICY.stale_after
    outcome = send(event, ledger, mailer, clock)

    # Then the email goes out exactly once and the ledger says so
    assert outcome is Outcome.RESENT_AFTER_STALE_CLAIM
    assert len(mailer.sent) == 1
    entry = ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED)
    assert entry is not None
    assert (entry.status, entry.attempts) == ("sent", 2)


def test_a_timed_out_send_that_ses_took_is_reconciled_by_its_report_and_not_sent_again(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    event = order_placed()
    clock = Clock()
    mailer.sent_then_lost.append(TimeoutError("read timeout"))
    with pytest.raises(TimeoutError):
        send(event, ledger, mailer, clock)
    [tags] = mailer.tags

    # SES's "Email Sent" event for the tagged email arrives
    report = DeliveryReport(
        order_id=tags["order_id"],
        kind=EmailKind(tags["kind"]),
        status="sent",
        at=clock.now,
        message_id="msg-1",
    )
    assert deliver_report(report, ledger)
    clock.now += POLICY.stale_after * 2

    assert send(event, ledger, mailer, clock) is Outcome.ALREADY_SETTLED
    assert len(mailer.sent) == 1


def test_take_overs_are_bounded_then_the_email_ends_failed_as_unknown(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    event = order_placed()
    clock = Clock()
    for _ in range(POLICY.max_attempts):
        mailer.failures.append(TimeoutError("read timeout"))
        with pytest.raises(TimeoutError):
            send(event, ledger, mailer, clock)
        clock.now += POLICY.stale_after

    assert send(event, ledger, mailer, clock) is Outcome.OUTCOME_UNKNOWN
    entry = ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED)
    assert entry is not None
    assert (entry.status, entry.reason) == ("failed", "send outcome unknown")
    assert send(event, ledger, mailer, clock) is Outcome.ALREADY_SETTLED


def test_a_permanent_refusal_ends_the_email_as_failed_with_the_reason_and_is_not_retried(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    event = order_placed()
    mailer.failures.append(rejected())

    assert send(event, ledger, mailer) is Outcome.FAILED
    entry = ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED)
    assert entry is not None
    assert (entry.status, entry.reason) == ("failed", "MessageRejected")
    assert send(event, ledger, mailer) is Outcome.ALREADY_SETTLED
    assert mailer.sent == []


def test_reports_only_move_an_email_forward(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    send(order_placed(), ledger, mailer)

    def report(status: str, reason: str | None = None) -> bool:
        return deliver_report(
            DeliveryReport("ord_1001", EmailKind.ORDER_RECEIVED, status, START, "msg-1", reason),  # type: ignore[arg-type]
            ledger,
        )

    assert report("failed", "bounced: Permanent/General")
    assert not report("delivered")
    assert not report("sent")
    entry = ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED)
    assert entry is not None
    assert (entry.status, entry.reason) == ("failed", "bounced: Permanent/General")
    assert not deliver_report(
        DeliveryReport("ord_other", EmailKind.ORDER_RECEIVED, "delivered", START, "msg-9"), ledger
    )


def test_a_template_error_leaves_no_claim_behind(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    class BrokenRenderer:
        def render(
            self, kind: EmailKind, order: object, *, unsubscribe_url: str | None = None
        ) -> RenderedEmail:
            raise RuntimeError("template bug")

    with pytest.raises(RuntimeError):
        notify(
            order_placed(),
            EmailDependencies(
                ledger, mailer, BrokenRenderer(), POLICY, unsubscribe(), RecordingAnnouncer()
            ),
        )

    assert ledger.entries == {}


def test_concurrent_deliveries_send_one_email(ledger: InMemoryLedger) -> None:
    # The first delivery is inside SES when the duplicate arrives in another invocation.
    in_ses = threading.Event()
    answer = threading.Event()

    class SlowMailer(RecordingMailer):
        def send(self, to: str, email: RenderedEmail, *, tags: dict[str, str]) -> str:
            in_ses.set()
            assert answer.wait(timeout=10)
            return super().send(to, email, tags=tags)

    mailer = SlowMailer()
    event = order_placed()
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(send, event, ledger, mailer)
        assert in_ses.wait(timeout=10)
        with pytest.raises(ClaimPendingError):
            send(event, ledger, mailer)
        answer.set()
        assert first.result(timeout=10) is Outcome.SENT

    assert send(event, ledger, mailer) is Outcome.ALREADY_SETTLED
    assert len(mailer.sent) == 1


def test_the_feedback_request_carries_one_click_unsubscribe_and_other_emails_do_not(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    send(order_placed(), ledger, mailer)
    send(feedback_due(), ledger, mailer)

    received, feedback = mailer.sent
    assert received.email.headers == ()
    headers = dict(feedback.email.headers)
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{UNSUBSCRIBE_BASE}/unsubscribe?r=")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in feedback.email.text
    assert "ada@example.com" not in link


def test_a_customer_who_opted_out_gets_no_feedback_request_but_still_order_emails(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    opted_out = InMemoryOptOuts({recipient_id("Ada@Example.com")})

    assert send(feedback_due(), ledger, mailer, opt_outs=opted_out) is Outcome.OPTED_OUT
    assert send(order_shipped(), ledger, mailer, opt_outs=opted_out) is Outcome.SENT
    assert [m.email.subject for m in mailer.sent] == ["Your order ord_1001 has shipped"]


def test_each_outcome_is_announced_when_the_ledger_records_it(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    announcer = RecordingAnnouncer()
    clock = Clock()

    send(order_placed(), ledger, mailer, clock, announcer=announcer)
    delivered = DeliveryReport("ord_1001", EmailKind.ORDER_RECEIVED, "delivered", START, "msg-1")
    deliver_report(delivered, ledger, announcer)
    mailer.failures.append(rejected())
    send(order_shipped(), ledger, mailer, clock, announcer=announcer)

    assert announcer.outcomes() == [
        (EmailKind.ORDER_RECEIVED, "sent"),
        (EmailKind.ORDER_RECEIVED, "delivered"),
        (EmailKind.SHIPMENT_CONFIRMED, "failed"),
    ]
    assert {order_id for order_id, *_ in announcer.announced} == {"ord_1001"}


def test_a_redelivery_announces_an_outcome_whose_announcement_was_lost(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    # Given the bus refused the "sent" announcement and the SES report's "delivered" one
    announcer = RecordingAnnouncer(refusals=1)
    event = order_placed()
    with pytest.raises(RuntimeError):
        send(event, ledger, mailer, announcer=announcer)
    delivered = DeliveryReport("ord_1001", EmailKind.ORDER_RECEIVED, "delivered", START, "msg-1")
    announcer.refusals = 1
    with pytest.raises(RuntimeError):
        deliver_report(delivered, ledger, announcer)
    assert announcer.outcomes() == []

    # When both messages come back
    assert send(event, ledger, mailer, announcer=announcer) is Outcome.ALREADY_SETTLED
    assert not deliver_report(delivered, ledger, announcer)

    # Then what the ledger holds is told once (the adapter gives it its event id), no new email
    assert announcer.outcomes() == [(EmailKind.ORDER_RECEIVED, "delivered")]
    assert len(mailer.sent) == 1


def test_a_redelivery_after_every_outcome_was_told_tells_nothing(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    announcer = RecordingAnnouncer()
    event = order_placed()
    send(event, ledger, mailer, announcer=announcer)
    delivered = DeliveryReport("ord_1001", EmailKind.ORDER_RECEIVED, "delivered", START, "msg-1")
    deliver_report(delivered, ledger, announcer)
    sent_report = DeliveryReport("ord_1001", EmailKind.ORDER_RECEIVED, "sent", START, "msg-1")

    assert send(event, ledger, mailer, announcer=announcer) is Outcome.ALREADY_SETTLED
    assert not deliver_report(delivered, ledger, announcer)
    assert not deliver_report(sent_report, ledger, announcer)

    assert announcer.outcomes() == [
        (EmailKind.ORDER_RECEIVED, "sent"),
        (EmailKind.ORDER_RECEIVED, "delivered"),
    ]


def test_an_opted_out_feedback_request_is_announced_as_suppressed(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    announcer = RecordingAnnouncer()
    opted_out = InMemoryOptOuts({recipient_id(str(feedback_due().data.customer.email))})

    send(feedback_due(), ledger, mailer, opt_outs=opted_out, announcer=announcer)

    assert announcer.outcomes() == [(EmailKind.FEEDBACK_REQUEST, "suppressed")]
