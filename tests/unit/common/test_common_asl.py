"""The ASL renderer: text placeholders become text, number placeholders integers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.common.asl import placeholders, render_asl, render_numbers

DOCUMENT = '{"Seconds": "${Delay:number}", "QueueUrl": "${Queue}", "Note": "wait ${Queue}"}'


@pytest.fixture
def asl_file(tmp_path: Path) -> Path:
    path = tmp_path / "machine.asl.json"
    path.write_text(DOCUMENT, encoding="utf-8")
    json.loads(DOCUMENT)  # the file itself is valid JSON
    return path


def test_both_kinds_are_placeholders() -> None:
    assert placeholders(DOCUMENT) == {"Delay", "Queue"}


def test_a_number_placeholder_becomes_an_integer_and_text_stays_text(asl_file: Path) -> None:
    rendered = json.loads(render_asl(asl_file, {"Delay": "30", "Queue": "https://q"}))

    assert rendered == {"Seconds": 30, "QueueUrl": "https://q", "Note": "wait https://q"}


def test_rendering_numbers_only_leaves_text_placeholders_for_cloudformation() -> None:
    rendered = json.loads(render_numbers(DOCUMENT, {"Delay": "30"}))

    assert rendered["Seconds"] == 30
    assert rendered["QueueUrl"] == "${Queue}"


@pytest.mark.parametrize("value", ["1.5", "a day", "${Token[TOKEN.1]}", ""])
def test_a_number_that_is_not_an_integer_is_refused(asl_file: Path, value: str) -> None:
    with pytest.raises(ValueError, match="Delay"):
        render_asl(asl_file, {"Delay": value, "Queue": "https://q"})


def test_a_missing_or_unknown_value_is_refused(asl_file: Path) -> None:
    with pytest.raises(KeyError, match="Delay"):
        render_asl(asl_file, {"Queue": "https://q"})
    with pytest.raises(KeyError, match="Typo"):
        render_numbers(DOCUMENT, {"Delay": "1", "Typo": "2"})
