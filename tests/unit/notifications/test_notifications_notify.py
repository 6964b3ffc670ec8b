"""At most one email per order and kind, whatever the queue delivers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.notifications.adapters.renderer import JinjaRenderer
from services.notifications.domain.notify import EmailDelivery, notify
from services.notifications.models import EmailKind, RenderedEmail
from tests.unit.notifications.fakes import InMemoryLedger, RecordingMailer, refused
from tests.unit.notifications.samples import (
    feedback_due,
    order_cancelled,
    order_placed,
    order_shipped,
)

RENDERER = JinjaRenderer()


@pytest.fixture
def ledger() -> InMemoryLedger:
    return InMemoryLedger()


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


def test_an_event_sends_its_email_and_records_it(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    outcome = notify(order_placed(), ledger, mailer, RENDERER)

    assert outcome is EmailDelivery.SENT
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

    first = notify(event, ledger, mailer, RENDERER)
    second = notify(event, ledger, mailer, RENDERER)

    assert (first, second) == (EmailDelivery.SENT, EmailDelivery.ALREADY_SENT)
    assert len(mailer.sent) == 1


def test_another_event_of_the_same_kind_for_the_order_sends_nothing(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    # e.g. a producer that re-emitted with a new event id
    notify(order_cancelled(reason="rejected"), ledger, mailer, RENDERER)
    outcome = notify(order_cancelled(reason="rejected"), ledger, mailer, RENDERER)

    assert outcome is EmailDelivery.ALREADY_SENT
    assert len(mailer.sent) == 1


def test_each_kind_is_sent_once_per_order(ledger: InMemoryLedger, mailer: RecordingMailer) -> None:
    for event in (order_placed(), order_shipped(), feedback_due(), order_placed("ord_2002")):
        notify(event, ledger, mailer, RENDERER)

    assert [m.email.subject for m in mailer.sent] == [
        "We received your order ord_1001",
        "Your order ord_1001 has shipped",
        "How was your order ord_1001?",
        "We received your order ord_2002",
    ]


def test_a_refused_send_releases_the_claim_so_the_retry_sends_once(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    event = order_placed()
    mailer.failures.append(refused())

    with pytest.raises(Exception, match="MessageRejected"):
        notify(event, ledger, mailer, RENDERER)
    assert ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED) is None

    assert notify(event, ledger, mailer, RENDERER) is EmailDelivery.SENT
    assert notify(event, ledger, mailer, RENDERER) is EmailDelivery.ALREADY_SENT
    assert len(mailer.sent) == 1


def test_an_unknown_send_outcome_keeps_the_claim_so_no_second_email_goes_out(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    # The email left, then the answer was lost: at most once means the redelivery skips it.
    event = order_placed()
    mailer.sent_then_lost.append(TimeoutError("read timeout"))

    with pytest.raises(TimeoutError):
        notify(event, ledger, mailer, RENDERER)
    entry = ledger.entry("ord_1001", EmailKind.ORDER_RECEIVED)
    assert entry is not None
    assert entry.status == "sending"

    assert notify(event, ledger, mailer, RENDERER) is EmailDelivery.CLAIM_PENDING
    assert len(mailer.sent) == 1


def test_a_template_error_leaves_no_claim_behind(
    ledger: InMemoryLedger, mailer: RecordingMailer
) -> None:
    class BrokenRenderer:
        def render(self, kind: EmailKind, order: object) -> RenderedEmail:
            raise RuntimeError("template bug")

    with pytest.raises(RuntimeError):
        notify(order_placed(), ledger, mailer, BrokenRenderer())

    assert ledger.entries == {}


def test_concurrent_deliveries_send_one_email(ledger: InMemoryLedger) -> None:
    # The first delivery is inside SES when the duplicate arrives in another invocation.
    in_ses = threading.Event()
    answer = threading.Event()

    class SlowMailer(RecordingMailer):
        def send(self, to: str, email: RenderedEmail) -> str:
            in_ses.set()
            assert answer.wait(timeout=10)
            return super().send(to, email)

    mailer = SlowMailer()
    event = order_placed()
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(notify, event, ledger, mailer, RENDERER)
        assert in_ses.wait(timeout=10)
        duplicate = notify(event, ledger, mailer, RENDERER)
        answer.set()
        assert first.result(timeout=10) is EmailDelivery.SENT

    assert duplicate is EmailDelivery.CLAIM_PENDING
    assert len(mailer.sent) == 1
