"""A DynamoDB transaction deep-copies every table it names, in case it must roll back.

``DynamoDBBackend.transact_write_items`` starts with ``copy.deepcopy(self.tables[name])`` for
each table in the request (every item, and every record of the table's stream) and puts the
copy back in ``self.tables`` if the transaction is cancelled. The cost grows with the table:
the approvals ledger writes each approval in a transaction, so a bench run pays a copy of
the whole ledger per order (quadratic in the orders). A transaction can only change the
items its operations name (and append to the stream), so the backup here copies just those:
a shallow copy of the table with its own item maps, the named items deep-copied, and its own
list of stream records. moto's own rollback code puts it back exactly where it put the full
copy, so what a cancelled transaction leaves behind is unchanged.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from typing import Any

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from local.moto_patches.errors import MotoPatchError, require_source

_METHOD = "transact_write_items"
_local = threading.local()  # the keys of the transaction this thread is running, by table


def _named_keys(backend: Any, transact_items: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Each table's keys the transaction names (malformed operations fail in moto, untouched)."""
    keys: dict[str, list[Any]] = {}
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        if table is None:
            continue
        key = op.get("Item") if op_type == "Put" else op.get("Key")
        if isinstance(key, dict):
            keys.setdefault(table.name, []).append(key)
    return keys


def _snapshot(table: Any, keys: list[Any]) -> Any:
    """What ``copy.deepcopy(table)`` gives for everything a transaction on ``keys`` can change."""
    snapshot = copy.copy(table)
    items = copy.copy(table.items)  # the defaultdict, with its factory
    if table.range_key_attr:
        for hash_value in items:
            items[hash_value] = dict(items[hash_value])
    for key in keys:
        try:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except (KeyError, TypeError):
            continue  # moto rejects the operation before it writes
        if range_value is None:
            if hash_value in items:
                items[hash_value] = copy.deepcopy(items[hash_value])
        elif range_value in items.get(hash_value, {}):
            items[hash_value][range_value] = copy.deepcopy(items[hash_value][range_value])
    snapshot.items = items
    if table.stream_shard is not None:
        shard = copy.copy(table.stream_shard)
        shard.items = list(shard.items)
        shard.table = snapshot
        snapshot.stream_shard = shard
    return snapshot


class _CopyForTransactions:
    """moto's DynamoDB module's ``copy``: a table copied by a running transaction gets the
    snapshot, everything else (``update_item``'s copy of the old item) the real deep copy."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        keys: dict[str, list[Any]] | None = getattr(_local, "keys", None)
        if keys is not None and isinstance(value, Table):
            return _snapshot(value, keys.get(value.name, []))
        return copy.deepcopy(value, memo)


def _backed_up_by_snapshots(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        _local.keys = _named_keys(self, transact_items)
        try:
            return method(self, transact_items)
        finally:
            _local.keys = None

    transact_write_items.shop_snapshots = True  # type: ignore[attr-defined]
    return transact_write_items


def _is_patched(function: Any) -> bool:
    while function is not None:
        if getattr(function, "shop_snapshots", False):
            return True
        function = getattr(function, "__wrapped__", None)
    return False


def apply() -> None:
    current = DynamoDBBackend.__dict__.get(_METHOD)
    if current is None:
        raise MotoPatchError(f"moto's DynamoDBBackend.{_METHOD} is gone")
    if _is_patched(current):
        return
    require_source(
        current,
        "original_table_state[table_name] = copy.deepcopy(",
        "self.tables[table_name] = original_table_state[table_name]",
    )
    require_source(Table.put_item, "self.items[hash_value][range_value] = item")
    models: Any = dynamodb_models
    if models.copy is not copy:
        raise MotoPatchError("moto.dynamodb.models no longer uses the copy module as `copy`")
    models.copy = _CopyForTransactions()
    setattr(DynamoDBBackend, _METHOD, _backed_up_by_snapshots(current))
