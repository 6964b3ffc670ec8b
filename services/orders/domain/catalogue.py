"""The catalogue the orders service prices from, and pricing an order's lines with it.

Clients send SKUs and quantities; names, unit prices and the currency come from here. An
amount follows its currency's minor units (ISO 4217): "1.50" is no price in JPY, and totals
are written with the currency's exponent ("1500" JPY, "21.00" EUR).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from events.currencies import minor_units
from events.models import MONEY_PATTERN, Currency, LineItem, Money, SafeText, Sku

if TYPE_CHECKING:
    from services.orders.domain.ports import Catalogue

# Per SKU and order; within the contract's limit on a line (LineItem.quantity).
MAX_QUANTITY_PER_SKU = 100


def format_amount(amount: Decimal, currency: str) -> str:
    """``amount`` with exactly the currency's decimals; ValueError when it has more."""
    step = Decimal(1).scaleb(-minor_units(currency))
    try:
        rounded = amount.quantize(step)
    except InvalidOperation:
        raise ValueError(f"{amount} is too large an amount") from None
    if rounded != amount:
        raise ValueError(
            f"{amount} is not an amount in {currency}, which has {minor_units(currency)} decimal(s)"
        )
    return format(rounded, "f")


class CatalogueEntry(BaseModel):
    """One product as the shop sells it."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    sku: Sku
    name: Annotated[SafeText, Field(min_length=1, max_length=200)]
    currency: Currency  # before the price, which is checked against it
    unit_price: Money
    active: bool = True

    @field_validator("unit_price", mode="after")
    @classmethod
    def _in_minor_units(cls, price: str, info: ValidationInfo) -> str:
        currency = info.data.get("currency")
        if currency is None:
            return price  # the currency's own error says what is wrong
        return format_amount(Decimal(price), currency)


@dataclass(frozen=True)
class OrderLine:
    """What a client asks for: a SKU and how many."""

    sku: str
    quantity: int


@dataclass(frozen=True)
class PricingProblem:
    index: int  # which requested line
    kind: str  # unknown_sku | inactive_sku | duplicate_sku | quantity_over_limit | ...
    message: str


class PricingError(ValueError):
    """The lines cannot be priced; one problem per line at fault, each naming its SKU."""

    def __init__(self, problems: Sequence[PricingProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass(frozen=True)
class PricedLines:
    items: list[LineItem]
    total: str
    currency: str


def price_lines(lines: Sequence[OrderLine], catalogue: Catalogue) -> PricedLines:
    """Each line priced from the catalogue, the total in the basket's one currency.

    Raises ``PricingError`` listing every line that is unknown, inactive, listed twice, over
    the quantity limit or in another currency than the first priced line.
    """
    entries = catalogue.get_many({line.sku for line in lines})
    problems: list[PricingProblem] = []
    seen: set[str] = set()
    priced: list[tuple[int, OrderLine, CatalogueEntry]] = []
    for index, line in enumerate(lines):
        entry = entries.get(line.sku)
        if line.sku in seen:
            problems.append(
                PricingProblem(
                    index,
                    "duplicate_sku",
                    f"SKU {line.sku!r} is listed twice; put its quantities on one line",
                )
            )
        elif entry is None:
            problems.append(
                PricingProblem(index, "unknown_sku", f"SKU {line.sku!r} is not in the catalogue")
            )
        elif not entry.active:
            problems.append(
                PricingProblem(index, "inactive_sku", f"SKU {line.sku!r} is not for sale")
            )
        elif line.quantity > MAX_QUANTITY_PER_SKU:
            problems.append(
                PricingProblem(
                    index,
                    "quantity_over_limit",
                    f"SKU {line.sku!r}: at most {MAX_QUANTITY_PER_SKU} per order",
                )
            )
        else:
            priced.append((index, line, entry))
        seen.add(line.sku)
    currencies = {entry.currency for _, _, entry in priced}
    if len(currencies) > 1:
        basket = priced[0][2].currency
        problems += [
            PricingProblem(
                index,
                "mixed_currency",
                f"SKU {line.sku!r} is priced in {entry.currency}, the rest of the basket "
                f"in {basket}; one currency per order",
            )
            for index, line, entry in priced
            if entry.currency != basket
        ]
    if problems:
        raise PricingError(sorted(problems, key=lambda p: p.index))
    currency = priced[0][2].currency
    items = [
        LineItem(sku=e.sku, name=e.name, quantity=line.quantity, unit_price=e.unit_price)
        for _, line, e in priced
    ]
    total = format_amount(
        sum((Decimal(i.unit_price) * i.quantity for i in items), Decimal(0)), currency
    )
    if not re.fullmatch(MONEY_PATTERN, total):
        raise PricingError(
            [PricingProblem(0, "total_too_large", f"the total {total} is too large")]
        )
    return PricedLines(items=items, total=total, currency=currency)
