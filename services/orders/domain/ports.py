"""What the orders domain needs from the outside world: the store and the catalogue, as
Protocols. Implementations: DynamoDB (``adapters/dynamodb.py``, ``adapters/catalogue.py``) and
the in-memory fakes of the unit tests; both keep the same rules."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from services.orders.models import Order, OrderStatus

if TYPE_CHECKING:
    from services.orders.domain.catalogue import CatalogueEntry
    from services.orders.domain.timeline import TimelineHead, TimelineStep


class OrderAlreadyExistsError(RuntimeError):
    """An order with this id is already stored (ids are random: a bug, never a retry)."""


class StatusChange(StrEnum):
    ADVANCED = "advanced"
    NOT_FORWARD = "not_forward"  # already at or past that status: a late or repeated event
    MISSING = "missing"  # no such order (cancelled and deleted, or never placed)


# When an order was placed, as the store sorts it: fixed-width UTC text, so text order is
# time order (the customer index's sort key).
SORTABLE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"


def sortable_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Position:
    """Where a page of a customer's orders ended: the last order's placement time (as
    ``sortable_time`` writes it) and id."""

    placed_at: str
    order_id: str


class OrdersStore(Protocol):
    def create(self, order: Order) -> None:
        """Store a new order; raise ``OrderAlreadyExistsError`` if its id is taken."""
        ...

    def get(self, order_id: str) -> Order | None: ...

    def list_for_customer(
        self, customer_id: str, *, limit: int, after: Position | None
    ) -> tuple[list[Order], Position | None]:
        """Up to ``limit`` of the customer's orders, newest first, starting after ``after``;
        and the position to continue from, None when there are no more."""
        ...

    def advance_status(self, order_id: str, status: OrderStatus, at: datetime) -> StatusChange:
        """Set ``status`` only if the order exists and its current status ranks lower.

        Checked and written in one conditional write, so concurrent or out-of-order events
        can never move an order back or bring a deleted one back to life.
        """
        ...

    def delete(self, order_id: str) -> bool:
        """Delete the order; False when it was already gone."""
        ...

    def placed_before(self, cutoff: datetime) -> Iterator[Order]:
        """Orders still in status ``placed`` that were placed before ``cutoff``."""
        ...


class CancellationOutcome(StrEnum):
    PENDING = "pending"  # asked; the approvals service has not answered yet
    CANCELLED = "cancelled"  # the cancellation won: the workflow cancels the order
    REFUSED = "refused"  # the owner decided (or the window closed) first


@dataclass(frozen=True)
class CancellationRequest:
    """A customer's request to cancel their order, and the answer once it came. Stored once
    per order; its insertion is what publishes OrderCancellationRequested (the outbox)."""

    order_id: str
    customer_id: str
    requested_at: datetime
    event_id: uuid.UUID  # of its OrderCancellationRequested, fixed when stored
    outcome: CancellationOutcome = CancellationOutcome.PENDING
    answered_at: datetime | None = None
    because: str | None = None  # refused: approved | rejected | expired
    decided_at: datetime | None = None  # refused: when the owner decided / the window closed


class Cancellations(Protocol):
    """Customers' cancellation requests (kept beside the orders, apart from them)."""

    def add(self, request: CancellationRequest) -> bool:
        """Store a new request; False if the order already has one."""
        ...

    def get(self, order_id: str) -> CancellationRequest | None: ...

    def answer(
        self,
        order_id: str,
        outcome: CancellationOutcome,
        at: datetime,
        *,
        because: str | None = None,
        decided_at: datetime | None = None,
    ) -> bool:
        """Record the answer if the request is still pending; False otherwise (a redelivery,
        or no such request)."""
        ...


class Catalogue(Protocol):
    """The products the shop sells."""

    def get_many(self, skus: Collection[str]) -> dict[str, CatalogueEntry]:
        """The entries of those SKUs that exist, by SKU (inactive ones included)."""
        ...


class TimelineStore(Protocol):
    """Orders' timelines: whose order each is, its steps by event id, and its expiry."""

    def set_owner(self, order_id: str, customer_id: str) -> None: ...

    def add(self, order_id: str, event_id: str, step: TimelineStep) -> bool:
        """Record the step of event ``event_id``; False if that event is already recorded.
        A step added to a timeline that already expires expires with it."""
        ...

    def expire_at(self, order_id: str, at: datetime) -> None:
        """From now on the whole timeline (steps recorded before and after) expires at ``at``."""
        ...

    def head(self, order_id: str) -> TimelineHead | None:
        """Owner and expiry; None when nothing of the order is recorded."""
        ...

    def steps(self, order_id: str) -> list[TimelineStep]: ...
