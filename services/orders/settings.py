"""The orders service's settings, read once per function from its environment.

Each function reads only what it uses, so a function deployed with just its own resources'
variables (least privilege) still starts: the outbox needs only the bus (``ServiceSettings``),
the status consumer only the orders table, the API its three tables.
"""

from __future__ import annotations

from pydantic import Field

from services.common.settings import ServiceSettings

DEFAULT_STUCK_AFTER_SECONDS = 15 * 60
DEFAULT_TIMELINE_RETENTION_DAYS = 90
DEFAULT_CANCEL_WAIT_SECONDS = 8


class OrdersTableSettings(ServiceSettings):
    orders_table_name: str  # ORDERS_TABLE_NAME


class OrdersSettings(OrdersTableSettings):
    orders_idempotency_table_name: str  # ORDERS_IDEMPOTENCY_TABLE_NAME
    orders_catalogue_table_name: str  # ORDERS_CATALOGUE_TABLE_NAME
    # Well inside API Gateway's 30 s integration timeout.
    orders_cancel_wait_seconds: float = Field(default=DEFAULT_CANCEL_WAIT_SECONDS, ge=0, le=20)


class SweeperSettings(OrdersTableSettings):
    orders_stuck_after_seconds: int = Field(default=DEFAULT_STUCK_AFTER_SECONDS, ge=1)


class TimelineSettings(ServiceSettings):
    orders_timeline_table_name: str  # ORDERS_TIMELINE_TABLE_NAME
    orders_timeline_retention_days: int = Field(default=DEFAULT_TIMELINE_RETENTION_DAYS, ge=1)


class TimelineRecorderSettings(TimelineSettings, OrdersTableSettings):
    """The timeline consumer also reads whose order it is from the orders table."""
