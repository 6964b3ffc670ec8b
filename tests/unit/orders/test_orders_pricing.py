"""Pricing an order's lines from the catalogue, and what a catalogue entry may hold."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.orders.domain.catalogue import (
    MAX_QUANTITY_PER_SKU,
    CatalogueEntry,
    OrderLine,
    PricingError,
    format_amount,
    price_lines,
)
from tests.unit.orders.fake_catalogue import InMemoryCatalogue
from tests.unit.orders.samples import CATALOGUE


def priced(*lines: tuple[str, int], catalogue: InMemoryCatalogue | None = None) -> object:
    return price_lines(
        [OrderLine(s, q) for s, q in lines], catalogue or InMemoryCatalogue(CATALOGUE)
    )


def problems(*lines: tuple[str, int]) -> list[tuple[int, str, str]]:
    with pytest.raises(PricingError) as raised:
        priced(*lines)
    return [(p.index, p.kind, p.message) for p in raised.value.problems]


def test_lines_are_named_and_priced_by_the_catalogue_and_totalled() -> None:
    result = price_lines(
        [OrderLine("TEA-01", 2), OrderLine("MUG-7", 1)], InMemoryCatalogue(CATALOGUE)
    )

    assert [(i.sku, i.name, i.unit_price, i.quantity) for i in result.items] == [
        ("TEA-01", "Earl Grey, 100 g", "4.50", 2),
        ("MUG-7", "Stoneware mug", "12.00", 1),
    ]
    assert (result.total, result.currency) == ("21.00", "EUR")


def test_the_catalogue_is_asked_once_for_all_skus() -> None:
    catalogue = InMemoryCatalogue(CATALOGUE)

    price_lines([OrderLine("TEA-01", 2), OrderLine("MUG-7", 1)], catalogue)

    assert catalogue.lookups == [{"TEA-01", "MUG-7"}]


def test_an_unknown_sku_is_named() -> None:
    [(index, kind, message)] = problems(("TEA-01", 1), ("GHOST-9", 1))

    assert (index, kind) == (1, "unknown_sku")
    assert "'GHOST-9'" in message


def test_an_inactive_sku_is_named() -> None:
    [(index, kind, message)] = problems(("HAT-3", 1))

    assert (index, kind) == (0, "inactive_sku")
    assert "'HAT-3'" in message


def test_a_basket_in_two_currencies_names_the_odd_one_out() -> None:
    [(index, kind, message)] = problems(("TEA-01", 1), ("MATCHA", 1))

    assert (index, kind) == (1, "mixed_currency")
    assert [w for w in ("'MATCHA'", "JPY", "EUR") if w in message] == ["'MATCHA'", "JPY", "EUR"]


def test_a_quantity_over_the_limit_is_named() -> None:
    [(index, kind, message)] = problems(("TEA-01", MAX_QUANTITY_PER_SKU + 1))

    assert (index, kind) == (0, "quantity_over_limit")
    assert "'TEA-01'" in message
    assert str(MAX_QUANTITY_PER_SKU) in message
    assert priced(("TEA-01", MAX_QUANTITY_PER_SKU))  # the limit itself is fine


def test_a_sku_listed_twice_is_named() -> None:
    [(index, kind, message)] = problems(("MUG-7", 1), ("MUG-7", 2))

    assert (index, kind) == (1, "duplicate_sku")
    assert "'MUG-7'" in message


def test_every_line_at_fault_is_reported_at_once() -> None:
    found = problems(("GHOST", 1), ("HAT-3", 1), ("TEA-01", 1000))

    assert [(index, kind) for index, kind, _ in found] == [
        (0, "unknown_sku"),
        (1, "inactive_sku"),
        (2, "quantity_over_limit"),
    ]


def test_the_limit_fits_the_contract() -> None:
    from events.models import LineItem  # noqa: PLC0415

    assert LineItem.model_json_schema()["properties"]["quantity"]["maximum"] >= MAX_QUANTITY_PER_SKU


def test_a_jpy_total_has_no_decimals() -> None:
    result = price_lines([OrderLine("MATCHA", 5)], InMemoryCatalogue(CATALOGUE))

    assert (result.total, result.currency, result.items[0].unit_price) == ("7500", "JPY", "1500")


def test_a_total_too_large_for_the_contract_is_refused() -> None:
    gold = CatalogueEntry(sku="GOLD", name="Gold bar", unit_price="999999999.00", currency="EUR")

    with pytest.raises(PricingError, match="too large"):
        price_lines([OrderLine("GOLD", 2)], InMemoryCatalogue([gold]))


@pytest.mark.parametrize(
    ("price", "currency", "kept"),
    [
        ("4.5", "EUR", "4.50"),
        ("150", "JPY", "150"),
        ("150.0", "JPY", "150"),
        ("0.1", "USD", "0.10"),
    ],
)
def test_catalogue_prices_are_kept_with_the_currencys_decimals(
    price: str, currency: str, kept: str
) -> None:
    entry = CatalogueEntry(sku="X", name="x", unit_price=price, currency=currency)
    assert entry.unit_price == kept


@pytest.mark.parametrize(
    ("price", "currency"), [("1.50", "JPY"), ("0.5", "JPY"), ("4.505", "EUR"), ("-1", "EUR")]
)
def test_a_price_finer_than_the_currencys_minor_unit_is_refused(price: str, currency: str) -> None:
    with pytest.raises(ValidationError) as raised:
        CatalogueEntry(sku="X", name="x", unit_price=price, currency=currency)
    assert raised.value.errors()[0]["loc"] == ("unit_price",)


def test_a_catalogue_name_with_control_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        CatalogueEntry(sku="X", name="Mug\nURGENT: approve here", unit_price="1", currency="EUR")
    assert raised.value.errors()[0]["loc"] == ("name",)


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        ("21", "EUR", "21.00"),
        ("0.3", "EUR", "0.30"),
        ("7500", "JPY", "7500"),
        ("1", "KWD", "1.000"),
    ],
)
def test_amounts_are_written_with_the_currencys_exponent(
    amount: str, currency: str, written: str
) -> None:
    from decimal import Decimal  # noqa: PLC0415

    assert format_amount(Decimal(amount), currency) == written
