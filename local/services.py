"""The services the local stack runs, by their wiring declarations."""

from __future__ import annotations

from services.approvals.wiring import WIRING as APPROVALS
from services.common.wiring import ServiceWiring
from services.notifications.wiring import WIRING as NOTIFICATIONS
from services.orders.wiring import WIRING as ORDERS
from services.workflow.wiring import WIRING as WORKFLOW

ALL_SERVICES: tuple[ServiceWiring, ...] = (ORDERS, WORKFLOW, APPROVALS, NOTIFICATIONS)
