"""DynamoDB's conditional writes, one at a time, as DynamoDB applies them to an item.

moto's ``update_item`` reads the item, evaluates the condition, then changes the item in
place, with nothing held in between; ``put_item``, ``delete_item`` and
``transact_write_items`` likewise. Two threads of the local stack (the decision page and a
customer's cancellation, say) can both pass ``#status = :pending`` and both win, which real
DynamoDB never allows: the approvals ledger's "exactly one decision" rests on it. One lock
around every write and every strongly consistent read of moto's DynamoDB backends makes each
one atomic, as the service is. Reads wait at most for one write; moto holds the GIL anyway.
"""

from __future__ import annotations

import threading

from moto.dynamodb.models import DynamoDBBackend

from local.moto_patches.errors import MotoPatchError, require_source
from local.moto_patches.serialising import is_serialised, serialised

_lock = threading.RLock()

# (method, what its source must still do for the lock to cover the whole operation)
_METHODS: tuple[tuple[str, str], ...] = (
    ("put_item", "table.put_item("),
    ("update_item", "condition_op.expr(item)"),
    ("delete_item", "table.delete_item("),
    ("transact_write_items", "transact_items"),
    ("get_item", "table.get_item("),
    ("execute_statement", "statement"),
)


def apply() -> None:
    for name, needle in _METHODS:
        method = DynamoDBBackend.__dict__.get(name)
        if method is None:
            raise MotoPatchError(f"moto's DynamoDBBackend.{name} is gone")
        if is_serialised(method):
            continue
        require_source(method, needle)
        setattr(DynamoDBBackend, name, serialised(method, _lock))
