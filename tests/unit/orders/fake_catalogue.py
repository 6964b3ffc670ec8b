"""An in-memory catalogue for the unit tests; it keeps the port's rules."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from services.orders.domain.catalogue import CatalogueEntry


class InMemoryCatalogue:
    def __init__(self, entries: Iterable[CatalogueEntry] = ()) -> None:
        self.entries = {entry.sku: entry for entry in entries}
        self.lookups: list[set[str]] = []

    def get_many(self, skus: Collection[str]) -> dict[str, CatalogueEntry]:
        self.lookups.append(set(skus))
        return {sku: self.entries[sku] for sku in skus if sku in self.entries}
