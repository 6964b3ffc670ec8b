"""A signed-in customer cancels their order, and learns in the same call whether it worked.

The orders service does not decide: the approvals service's record is the one arbiter between
the customer, the owner and the window's end. Orders stores the request (its insertion
publishes OrderCancellationRequested through the table's stream, like OrderPlaced), then waits
a short, bounded while for the answer its consumer records (ApprovalWithdrawn or
OrderCancellationRefused). An order already shipped is refused at once, without asking.

Asking twice is asking once: the request is stored once per order and a later call reads its
answer (also after the cancelled order itself was deleted).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from events.models import ApprovalWithdrawn, OrderCancellationRefused
from services.orders.domain.ports import (
    CancellationOutcome,
    CancellationRequest,
    Cancellations,
    OrdersStore,
)
from services.orders.models import OrderStatus

CancellationAnswer = ApprovalWithdrawn | OrderCancellationRefused
CANCELLATION_ANSWERS: tuple[type[CancellationAnswer], ...] = (
    ApprovalWithdrawn,
    OrderCancellationRefused,
)
# Past the owner's decision: nothing to ask any more.
_SHIPPED = (OrderStatus.SHIPPED, OrderStatus.FEEDBACK_REQUESTED)
POLL_INTERVAL = timedelta(milliseconds=200)


@dataclass(frozen=True)
class CancelDependencies:
    orders: OrdersStore
    cancellations: Cancellations
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    wait: timedelta  # how long the call waits for the arbiter's answer


def cancel_order(
    order_id: str, customer_id: str, deps: CancelDependencies
) -> CancellationRequest | None:
    """The customer's cancellation with its outcome (PENDING when the answer did not come in
    time); None when the customer has no such order."""
    request = deps.cancellations.get(order_id)
    if request is None:
        order = deps.orders.get(order_id)
        if order is None or order.customer_id != customer_id:
            return None
        now = deps.clock()
        if order.status in _SHIPPED:
            return CancellationRequest(
                order_id=order_id,
                customer_id=customer_id,
                requested_at=now,
                event_id=uuid.uuid4(),  # never published: nothing was asked
                outcome=CancellationOutcome.REFUSED,
                answered_at=now,
                because="approved",
                decided_at=order.updated_at,
            )
        request = CancellationRequest(
            order_id=order_id, customer_id=customer_id, requested_at=now, event_id=uuid.uuid4()
        )
        if not deps.cancellations.add(request):
            request = deps.cancellations.get(order_id) or request  # a concurrent call was first
    if request.customer_id != customer_id:
        return None
    return _answered(request, deps)


def _answered(request: CancellationRequest, deps: CancelDependencies) -> CancellationRequest:
    deadline = deps.clock() + deps.wait
    while request.outcome is CancellationOutcome.PENDING and deps.clock() < deadline:
        deps.sleep(POLL_INTERVAL.total_seconds())
        request = deps.cancellations.get(request.order_id) or request
    return request


def record_answer(event: CancellationAnswer, *, cancellations: Cancellations) -> str:
    """Note the arbiter's answer on the request; a redelivery changes nothing."""
    if isinstance(event, ApprovalWithdrawn):
        changed = cancellations.answer(
            event.order_id, CancellationOutcome.CANCELLED, event.data.withdrawn_at
        )
    else:
        data = event.data
        changed = cancellations.answer(
            event.order_id,
            CancellationOutcome.REFUSED,
            data.refused_at,
            because=data.because,
            decided_at=data.decided_at,
        )
    return "answered" if changed else "already-answered"


def refusal_message(request: CancellationRequest) -> str:
    """What a refused customer reads."""
    when = f" at {request.decided_at.isoformat()}" if request.decided_at else ""
    if request.because == "expired":
        return f"too late to cancel: the approval window closed{when}"
    return f"too late to cancel: the order was already {request.because}{when}"
