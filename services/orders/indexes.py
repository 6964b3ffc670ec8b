"""The orders table's index names, shared by the wiring (which declares the index) and the
DynamoDB adapter (which queries it): a handler reads the name without importing the wiring,
which is build-time vocabulary no function needs at run time."""

from __future__ import annotations

ORDERS_BY_CUSTOMER_INDEX = "by-customer"
