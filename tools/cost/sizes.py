"""Payload and item sizes, measured on the contract's own example events.

Several prices are per size step (EventBridge and SQS bill each 64 KB chunk, DynamoDB a write
unit per started KB and a read unit per started 4 KB), so the model needs sizes. They come
from ``events/examples/``: the largest example of each event (its full EventBridge envelope,
which is also the body SQS delivers), and the full OrderPlaced example as the typical order
that the orders, idempotency and approvals items carry. What an item adds around the order
is estimated from the adapters' layouts, in bytes, below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from local.paths import EVENT_EXAMPLES_DIR

TYPICAL_ORDER_EXAMPLE = "OrderPlaced.v1.full.json"

# Bytes an item adds around the order (attribute names + values), read off the adapters.
_ORDER_ITEM_EXTRA = 200  # status, status_rank, placed_at, updated_at, placed_event_id
_IDEMPOTENCY_EXTRA = 400  # key, expiry, status, payload hash, {"order": view, "replayed": ...}
_APPROVAL_EXTRA = 450  # ids, kind, timestamps, deadline, link expiry, flags, event id
_LOOKUP_ITEM = 150  # approval_id = "order#<id>", kind, target, expires_at
_TOKEN_EXTRA = 400  # order id, execution ARN, timestamps, status, TTL
_LEDGER_ITEM = 300  # order id, kind, status, claim, event id, message id, timestamps
_TIMELINE_STEP = 400  # order id, "step#<event id>", the step as JSON (a sentence, a comment), TTL
_TIMELINE_HEAD = 120  # order id, "order", customer id, TTL


def _compact(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


@cache
def event_bytes(detail_type: str) -> int:
    """The largest example of ``detail_type``, as the EventBridge envelope SQS delivers."""
    sizes = [
        _compact(json.loads(path.read_text(encoding="utf-8")))
        for path in EVENT_EXAMPLES_DIR.glob(f"{detail_type}.v*.json")
    ]
    if not sizes:
        raise LookupError(f"no example of {detail_type} in {EVENT_EXAMPLES_DIR}")
    return max(sizes)


@cache
def typical_order_bytes() -> int:
    example = json.loads((EVENT_EXAMPLES_DIR / TYPICAL_ORDER_EXAMPLE).read_text(encoding="utf-8"))
    return _compact(example["detail"]["data"])


@dataclass(frozen=True)
class ItemSizes:
    """Bytes of each kind of DynamoDB item one order touches."""

    order_bytes: int
    # An assumption: AWS does not document a task token's length (the API accepts up to
    # 2,048 characters); 1 KB puts the token item over one write unit, which is the cautious side.
    task_token_bytes: int = 1024

    @classmethod
    def typical(cls) -> ItemSizes:
        return cls(order_bytes=typical_order_bytes())

    def of(self, item: str) -> int:
        sizes = {
            "orders.order": self.order_bytes + _ORDER_ITEM_EXTRA,
            "orders.idempotency": self.order_bytes + _IDEMPOTENCY_EXTRA,
            "approvals.approval": self.order_bytes + _APPROVAL_EXTRA,
            "approvals.lookup": _LOOKUP_ITEM,
            "workflow.token": self.task_token_bytes + _TOKEN_EXTRA,
            "notifications.ledger": _LEDGER_ITEM,
            "orders.timeline_step": _TIMELINE_STEP,
            "orders.timeline_head": _TIMELINE_HEAD,
        }
        return sizes[item]


def write_units(size_bytes: int, *, transactional: bool = False) -> int:
    """On-demand write request units: one per started KB, doubled inside a transaction."""
    units = max(1, -(-size_bytes // 1024))
    return 2 * units if transactional else units


def read_units(size_bytes: int) -> int:
    """Strongly consistent reads (every read in this code base): one unit per started 4 KB;
    reading an item that is not there still costs one."""
    return max(1, -(-size_bytes // 4096))
