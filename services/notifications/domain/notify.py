"""Send each customer email at most once per order and kind.

Delivery is at least once (DESIGN §5): the same event can arrive twice, in one batch or two,
or in two invocations at the same moment. Before sending, ``notify`` claims (order id, kind)
in the sent-email ledger with a conditional write, so only one delivery can send; once the
mail service has accepted the email, the claim is marked sent with its message id.

When something fails between the claim and the mark:

- The mail service certainly did not take the email (``EmailNotSentError``: it refused the
  request, or could not be reached): the claim is released and the error raised, so the
  redelivered message claims again and sends.
- Anything else (the answer was lost after the request left, the process died, the mark
  failed): the email may or may not have gone out. We choose **at most once**: the claim stays,
  and a redelivery that finds it sends nothing (outcome ``claim_pending``). The price is a
  rare lost email, visible as a ledger entry left in ``sending``; the alternative (a lease
  after which a stale claim is sent again, i.e. at least once) would instead risk the second
  email the requirement rules out. Since a claim is never taken over, the same rule also
  covers a duplicate that arrives while the first delivery is still sending: that first
  delivery either sends, or releases its claim and is itself redelivered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from events.models import (
    FeedbackDue,
    OrderCancelled,
    OrderPlaced,
    OrderShipped,
    utc_now,
)
from services.notifications.domain.ports import (
    EmailNotSentError,
    Mailer,
    Renderer,
    SentEmailLedger,
)
from services.notifications.models import Claim, EmailKind

CustomerEvent = OrderPlaced | OrderShipped | OrderCancelled | FeedbackDue
CUSTOMER_EVENTS: tuple[type[CustomerEvent], ...] = (
    OrderPlaced,
    OrderShipped,
    OrderCancelled,
    FeedbackDue,
)

KIND_BY_EVENT: dict[type[CustomerEvent], EmailKind] = {
    OrderPlaced: EmailKind.ORDER_RECEIVED,
    OrderShipped: EmailKind.SHIPMENT_CONFIRMED,
    OrderCancelled: EmailKind.ORDER_CANCELLED,
    FeedbackDue: EmailKind.FEEDBACK_REQUEST,
}


class EmailDelivery(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    # Claimed by another delivery that is sending now, or that died mid-send (at most once).
    CLAIM_PENDING = "claim_pending"


def notify(
    event: CustomerEvent,
    ledger: SentEmailLedger,
    mailer: Mailer,
    renderer: Renderer,
    *,
    now: Callable[[], datetime] = utc_now,
) -> EmailDelivery:
    """Send the email ``event`` calls for, unless this order already got (or is getting) it."""
    kind = KIND_BY_EVENT[type(event)]
    # Render before claiming: a template error must not leave a claim behind.
    email = renderer.render(kind, event.data)
    claim = Claim(
        order_id=event.order_id,
        kind=kind,
        claim_id=str(uuid.uuid4()),
        event_id=str(event.metadata.event_id),
        claimed_at=now(),
    )
    if not ledger.claim(claim):
        existing = ledger.entry(claim.order_id, kind)
        if existing is not None and existing.status == "sent":
            return EmailDelivery.ALREADY_SENT
        # A claim released between our write and our read also lands here: the delivery
        # that released it is redelivered and sends, so skipping is still right.
        return EmailDelivery.CLAIM_PENDING
    try:
        message_id = mailer.send(event.data.customer.email, email)
    except EmailNotSentError:
        ledger.release(claim)
        raise
    ledger.mark_sent(claim, message_id=message_id, sent_at=now())
    return EmailDelivery.SENT
