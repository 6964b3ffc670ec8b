"""docs/events.md is the catalogue generated from the committed schemas and examples."""

from __future__ import annotations

from pathlib import Path

from events.models import ALL_EVENTS
from tests.contract.shipped_v2 import publish_shipped_v2
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


def test_catalogue_lists_every_published_version_and_what_changed(tmp_path: Path) -> None:
    events = publish_shipped_v2(tmp_path)

    text = render_catalogue(events, schemas_dir=tmp_path)

    section = text.split("\n## OrderShipped\n", 1)[1].split("\n## ", 1)[0]
    assert "- Version: 2, schema [`OrderShipped.v2.json`]" in section
    assert "  - [v1](../events/schemas/OrderShipped.v1.json): the first version." in section
    assert (
        "  - [v2](../events/schemas/OrderShipped.v2.json): changed from v1: "
        "`$.data.carrier` new required property."
    ) in section
    placed = text.split("\n## OrderPlaced\n", 1)[1].split("\n## ", 1)[0]
    assert "  - [v1](../events/schemas/OrderPlaced.v1.json): the first version." in placed
