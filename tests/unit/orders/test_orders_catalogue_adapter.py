"""The catalogue adapter's BatchGetItem loop: keys DynamoDB hands back are asked again."""

from __future__ import annotations

from typing import Any

import pytest

from services.orders.adapters import catalogue as adapter
from services.orders.adapters.catalogue import DynamoCatalogue

TABLE = "catalogue"


def item(sku: str) -> dict[str, Any]:
    return {"sku": sku, "name": sku.title(), "unit_price": "1.00", "currency": "EUR"}


class ThrottledDynamoDB:
    """Answers each BatchGetItem with the first key and hands the rest back unprocessed."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        keys = [k["sku"] for k in RequestItems[TABLE]["Keys"]]
        self.calls.append(keys)
        first, rest = keys[0], keys[1:]
        unprocessed = {TABLE: {"Keys": [{"sku": s} for s in rest]}} if rest else {}
        return {"Responses": {TABLE: [item(first)]}, "UnprocessedKeys": unprocessed}


def test_unprocessed_keys_are_asked_again_until_all_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(adapter, "BACKOFF_SECONDS", 0)
    dynamodb = ThrottledDynamoDB()

    found = DynamoCatalogue(dynamodb, TABLE).get_many({"a", "b", "c"})  # type: ignore[arg-type]

    assert set(found) == {"a", "b", "c"}
    assert dynamodb.calls == [["a", "b", "c"], ["b", "c"], ["c"]]


def test_keys_still_unprocessed_after_every_attempt_are_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(adapter, "BACKOFF_SECONDS", 0)
    wanted = {f"sku-{i}" for i in range(adapter.MAX_ATTEMPTS + 1)}

    with pytest.raises(RuntimeError, match="unprocessed"):
        DynamoCatalogue(ThrottledDynamoDB(), TABLE).get_many(wanted)  # type: ignore[arg-type]
