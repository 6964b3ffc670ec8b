"""docs/events.md is the catalogue generated from the committed schemas and examples."""

from __future__ import annotations

from events.models import ALL_EVENTS
from tools.contract.catalogue import CATALOGUE_PATH, render_catalogue


def test_catalogue_is_up_to_date() -> None:
    assert CATALOGUE_PATH.exists(), "docs/events.md is missing: run `make schemas`"
    assert CATALOGUE_PATH.read_text(encoding="utf-8") == render_catalogue(), (
        "docs/events.md is stale: run `make schemas`"
    )


def test_catalogue_documents_every_event_with_producer_consumers_and_an_example() -> None:
    text = render_catalogue()
    for event in ALL_EVENTS:
        section = text.split(f"\n## {event.detail_type}\n", 1)[1].split("\n## ", 1)[0]
        assert f"- Producer: `{event.source}`" in section
        assert f"- Consumers: {', '.join(event.consumers)}" in section
        assert "| `data.order_id` | string | yes |" in section
        assert f'"detail-type": "{event.detail_type}"' in section
