"""``shop events sample``: a published example, whole and valid, or a clear refusal; and
``shop events tail`` talks to this machine only."""

from __future__ import annotations

import json

import pytest

from events.models import ALL_EVENTS, Event
from local.cli import main
from local.events_command import SampleError, sample
from tools.contract.schemas import validate_detail


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.detail_type)
def test_sample_is_a_whole_eventbridge_event_valid_against_its_schema(event: type[Event]) -> None:
    printed = sample(event.detail_type)

    assert printed["detail-type"] == event.detail_type
    assert printed["source"] == event.source
    assert {"id", "time", "account", "region", "resources"} <= set(printed)
    validate_detail(printed["detail-type"], printed["detail"], version=1)


def test_the_command_prints_json_a_test_can_load(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "sample", "OrderCancelled", "--version", "1"]) == 0

    printed = json.loads(capsys.readouterr().out)
    assert printed["detail"]["data"]["reason"] in {"rejected", "approval_timeout"}


def test_a_named_example_is_chosen() -> None:
    printed = sample("OrderCancelled", 1, "approval-timeout")

    assert printed["detail"]["data"]["reason"] == "approval_timeout"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope"], "no event called 'Nope'; the events are OrderPlaced"),
        (["OrderShipped", "--version", "9"], "OrderShipped v9 has no published example"),
        (["OrderShipped", "--example", "huge"], "has no example 'huge' (there are: full"),
    ],
)
def test_unknown_type_version_or_example_is_refused(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "sample", *args]) == 2

    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    with pytest.raises(SampleError):
        sample(args[0], 9 if "--version" in args else None, "huge" if "--example" in args else None)


def test_tail_refuses_an_endpoint_off_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "tail", "--moto-url", "https://events.eu-west-1.amazonaws.com"]) == 2

    assert "talks only to a local stack on this machine" in capsys.readouterr().err
