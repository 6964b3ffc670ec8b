"""The catalogue table on moto: what the API prices from and `shop catalogue` writes."""

from __future__ import annotations

import boto3
import pytest

from local.catalogue import sample_entries
from local.provision import ProvisionedService
from services.orders.adapters.catalogue import (
    BATCH_GET_LIMIT,
    DynamoCatalogue,
    MalformedCatalogueItemError,
)
from services.orders.domain.catalogue import CatalogueEntry


def test_the_sample_catalogue_is_listed_in_sku_order(catalogue: DynamoCatalogue) -> None:
    listed = catalogue.list()

    assert listed == sorted(sample_entries(), key=lambda e: e.sku)
    assert {"shoes", "socks"} <= {e.sku for e in listed}


def test_many_skus_are_read_in_batches_and_missing_ones_are_left_out(
    catalogue: DynamoCatalogue,
) -> None:
    wanted = {f"SKU-{i:03}" for i in range(BATCH_GET_LIMIT + 20)}
    for sku in sorted(wanted)[::2]:
        catalogue.put(CatalogueEntry(sku=sku, name=f"thing {sku}", unit_price="1", currency="EUR"))

    found = catalogue.get_many(wanted | {"shoes"})

    assert set(found) == set(sorted(wanted)[::2]) | {"shoes"}
    assert found["SKU-000"].unit_price == "1.00"


def test_a_put_replaces_the_entry(catalogue: DynamoCatalogue) -> None:
    catalogue.put(
        CatalogueEntry(sku="shoes", name="Walking shoes", unit_price="79", currency="EUR")
    )
    catalogue.put(
        CatalogueEntry(
            sku="socks", name="Wool socks, pair", unit_price="12.50", currency="EUR", active=False
        )
    )

    found = catalogue.get_many({"shoes", "socks"})

    assert found["shoes"].unit_price == "79.00"
    assert found["socks"].active is False


def test_an_item_written_around_the_model_is_reported_not_priced(
    catalogue: DynamoCatalogue, orders: ProvisionedService
) -> None:
    table = boto3.resource("dynamodb").Table(orders.tables["catalogue"])
    table.put_item(Item={"sku": "bad", "name": "x", "unit_price": "1.50", "currency": "JPY"})

    with pytest.raises(MalformedCatalogueItemError, match="'bad'"):
        catalogue.get_many({"bad"})
