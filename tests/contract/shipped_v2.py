"""A synthetic second version of OrderShipped (a new required field), published beside v1 in a
scratch schemas folder: how the contract tooling is shown to handle a later version."""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field

from events.models import ALL_EVENTS, Event, OrderShipped, OrderShippedData
from tools.contract.schema_gen import generate_schema, render
from tools.contract.schemas import SCHEMAS_DIR


class ShippedWithCarrier(OrderShippedData):
    carrier: str = Field(min_length=1)


class OrderShippedV2(OrderShipped):
    version = 2
    data: ShippedWithCarrier


def publish_shipped_v2(schemas_dir: Path) -> list[type[Event]]:
    """Copy the committed schemas into ``schemas_dir``, add OrderShipped v2 beside them, and
    return the event models with v2 in place of v1."""
    for path in SCHEMAS_DIR.glob("*.json"):
        shutil.copy(path, schemas_dir / path.name)
    (schemas_dir / "OrderShipped.v2.json").write_text(render(generate_schema(OrderShippedV2)))
    return [OrderShippedV2 if e is OrderShipped else e for e in ALL_EVENTS]
