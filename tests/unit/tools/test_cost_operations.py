"""The per-handler operations table agrees with the wirings it sits beside."""

from __future__ import annotations

import pytest

from events.models import EVENTS_BY_DETAIL_TYPE
from local.services import ALL_SERVICES
from services.common.wiring import SqsTrigger
from tools.cost.operations import operations
from tools.cost.sizes import ItemSizes, event_bytes, read_units, write_units
from tools.cost.usage import function_key, routes

DECLARED = {function_key(w, f): f for w in ALL_SERVICES for f in w.functions}
TABLE = operations(idempotency_key_share=1.0)


def test_every_entry_names_a_declared_function() -> None:
    assert {key for key, _ in TABLE} <= set(DECLARED)


def test_every_event_a_function_receives_has_an_entry_and_no_entry_is_unreachable() -> None:
    routed = {
        (function_key(wiring, fn), detail_type)
        for detail_type in EVENTS_BY_DETAIL_TYPE
        for wiring, queue in routes(ALL_SERVICES, detail_type)
        for fn in wiring.functions
        if isinstance(fn.trigger, SqsTrigger) and fn.trigger.queue == queue
    }
    event_entries = {(key, trigger) for key, trigger in TABLE if trigger in EVENTS_BY_DETAIL_TYPE}

    assert routed == event_entries


def test_writes_name_declared_tables_and_streams_only_where_the_table_has_one() -> None:
    tables = {f"{w.name}/{t.name}": t for w in ALL_SERVICES for t in w.tables}
    for (key, trigger), op in TABLE.items():
        for write in op.writes:
            assert write.table in tables, (key, trigger)
            if write.stream:
                assert tables[write.table].stream, (key, trigger)


def test_every_item_kind_has_a_size() -> None:
    sizes = ItemSizes.typical()
    for op in TABLE.values():
        for item in [r.item for r in op.reads] + [w.item for w in op.writes]:
            assert sizes.of(item) > 0


@pytest.mark.parametrize(
    ("size", "plain", "transactional", "read"),
    [(1, 1, 2, 1), (1024, 1, 2, 1), (1025, 2, 4, 1), (4096, 4, 8, 1), (4097, 5, 10, 2)],
)
def test_request_units_round_up_per_started_kilobyte(
    size: int, plain: int, transactional: int, read: int
) -> None:
    assert write_units(size) == plain
    assert write_units(size, transactional=True) == transactional
    assert read_units(size) == read


def test_every_event_has_an_example_to_size_it_by() -> None:
    for detail_type in EVENTS_BY_DETAIL_TYPE:
        assert 300 < event_bytes(detail_type) < 64 * 1024
