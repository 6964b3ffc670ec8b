"""The catalogue table on DynamoDB: one item per SKU, read in batches (BatchGetItem)."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from services.orders.domain.catalogue import CatalogueEntry

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import DynamoDBServiceResource

BATCH_GET_LIMIT = 100  # keys per BatchGetItem call
MAX_ATTEMPTS = 5  # rounds for keys DynamoDB hands back unprocessed (throttling)
BACKOFF_SECONDS = 0.025


class MalformedCatalogueItemError(ValueError):
    """A table item that is not a catalogue entry (written around ``put``)."""


def entry_from_item(item: Mapping[str, Any]) -> CatalogueEntry:
    try:
        return CatalogueEntry.model_validate(item)
    except ValidationError as error:
        fields = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]})
        raise MalformedCatalogueItemError(
            f"catalogue item {item.get('sku')!r} is malformed: {', '.join(fields)}"
        ) from None


class DynamoCatalogue:
    def __init__(self, dynamodb: DynamoDBServiceResource, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table_name = table_name

    def get_many(self, skus: Collection[str]) -> dict[str, CatalogueEntry]:
        found: dict[str, CatalogueEntry] = {}
        wanted = sorted(skus)
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            for item in self._batch([{"sku": s} for s in wanted[start : start + BATCH_GET_LIMIT]]):
                entry = entry_from_item(item)
                found[entry.sku] = entry
        return found

    def _batch(self, keys: list[dict[str, str]]) -> Iterator[Mapping[str, Any]]:
        request: dict[str, Any] = {self._table_name: {"Keys": keys}}
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                time.sleep(BACKOFF_SECONDS * 2**attempt)  # AWS's advice for unprocessed keys
            response = self._dynamodb.batch_get_item(RequestItems=request)
            yield from response["Responses"].get(self._table_name, [])
            request = dict(response.get("UnprocessedKeys") or {})
            if not request:
                return
        raise RuntimeError(f"catalogue reads still unprocessed after {MAX_ATTEMPTS} attempts")

    def put(self, entry: CatalogueEntry) -> None:
        self._table().put_item(Item=entry.model_dump(mode="json"))

    def list(self) -> list[CatalogueEntry]:
        table = self._table()
        response = table.scan()
        items = list(response["Items"])
        while "LastEvaluatedKey" in response:
            response = table.scan(ExclusiveStartKey=response["LastEvaluatedKey"])
            items += response["Items"]
        return sorted((entry_from_item(item) for item in items), key=lambda e: e.sku)

    def _table(self) -> Any:
        return self._dynamodb.Table(self._table_name)
