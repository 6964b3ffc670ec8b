"""Our model reads every published version of the shop's events, and our declaration to the
shop's consumer contract names exactly the fields the model reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from loyalty.model import EVENTS, NotOurEventError, OrderCancelled, OrderShipped, parse_event
from loyalty.reads import READS
from pydantic import BaseModel
from shop_examples import READ_EVENTS, read_example, shop_examples


@pytest.mark.parametrize("example", shop_examples(*READ_EVENTS), ids=lambda p: p.name)
def test_every_published_example_parses(example: Path) -> None:
    event = read_example(example)

    parsed = parse_event(json.dumps(event))

    assert type(parsed).__name__ == event["detail-type"]
    assert parsed.data.order_id == event["detail"]["data"]["order_id"]
    assert parsed.data.customer.email == event["detail"]["data"]["customer"]["email"]
    if isinstance(parsed, OrderShipped):
        assert str(parsed.data.total) == event["detail"]["data"]["total"]


def test_an_event_we_do_not_read_is_refused() -> None:
    placed = read_example(shop_examples("OrderPlaced")[0])

    with pytest.raises(NotOurEventError):
        parse_event(json.dumps(placed))


def test_a_missing_field_we_read_is_an_error() -> None:
    shipped = read_example(shop_examples("OrderShipped")[0])
    del shipped["detail"]["data"]["total"]

    with pytest.raises(ValueError, match="total"):
        parse_event(json.dumps(shipped))


def _paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, field in model.model_fields.items():
        annotation: Any = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += _paths(annotation, f"{prefix}{name}.")
        else:
            paths.append(f"{prefix}{name}")
    return paths


def test_declared_reads_are_the_fields_the_model_reads() -> None:
    assert set(READS) == set(EVENTS)
    for detail_type, model in EVENTS.items():
        assert sorted(READS[detail_type]) == sorted(_paths(model))
    assert _paths(OrderCancelled) != _paths(OrderShipped)
