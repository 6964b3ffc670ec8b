"""The services the local stack runs, by their wiring declarations."""

from __future__ import annotations

from services.approvals.wiring import WIRING as APPROVALS
from services.common.wiring import ServiceWiring
from services.notifications.wiring import WIRING as NOTIFICATIONS
from services.orders.wiring import WIRING as ORDERS
from services.workflow.wiring import WIRING as WORKFLOW

ALL_SERVICES: tuple[ServiceWiring, ...] = (ORDERS, WORKFLOW, APPROVALS, NOTIFICATIONS)


def local_services(*, example_subscriber: bool = False) -> tuple[ServiceWiring, ...]:
    """What the local stack runs: every service, and the example subscriber when asked."""
    if not example_subscriber:
        return ALL_SERVICES
    from local.example_subscriber import example_subscriber_wiring  # noqa: PLC0415

    return (*ALL_SERVICES, example_subscriber_wiring())
