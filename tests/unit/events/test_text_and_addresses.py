"""Text people type and the addresses email goes to, as the contract accepts them."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from events.currencies import ISO_4217_CODES, minor_units
from events.models import Customer, EmailAddress, SafeText
from events.text import FORBIDDEN_RANGES, SAFE_TEXT_PATTERN

SAFE = TypeAdapter(SafeText)
EMAIL = TypeAdapter(EmailAddress)
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def refused(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in FORBIDDEN_RANGES)


def test_the_refused_ranges_cover_every_control_format_and_separator_character() -> None:
    missing = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in REFUSED_CATEGORIES and not refused(chr(cp))
    ]
    assert missing == [], f"Unicode {unicodedata.unidata_version} added: {missing}"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Ada Lovelace", "Ada Lovelace"),
        ("  Ada \t\t Lovelace  ", "Ada Lovelace"),
        ("Ada\u00a0\u3000Lovelace", "Ada Lovelace"),
        ("Zoe\u0308", "Zo\u00eb"),  # NFC: e + combining diaeresis is one character
        ("用户 名", "用户 名"),
    ],
)
def test_text_is_normalised_and_folded(typed: str, kept: str) -> None:
    assert SAFE.validate_python(typed) == kept


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("Ada\r\nURGENT", "U+000D"),
        ("Ada\nURGENT", "U+000A"),
        ("Ada\x00", "U+0000"),
        ("Ada\u202eevil", "U+202E"),  # right-to-left override
        ("Ada\u2066evil\u2069", "U+2066"),  # left-to-right isolate
        ("Ada\u200b", "U+200B"),  # zero-width space
        ("Ada\u2028URGENT", "U+2028"),  # line separator
        ("Ada\u2029URGENT", "U+2029"),  # paragraph separator
        ("Ada\U000e0041", "U+E0041"),  # a tag character, beyond the BMP
    ],
)
def test_text_with_a_character_that_changes_how_it_reads_is_refused(typed: str, named: str) -> None:
    with pytest.raises(ValidationError) as raised:
        SAFE.validate_python(typed)
    assert named in raised.value.errors()[0]["msg"]


@given(st.text(max_size=40))
def test_whatever_the_model_keeps_matches_the_published_pattern(typed: str) -> None:
    try:
        kept = SAFE.validate_python(typed)
    except ValidationError:
        return
    assert re.fullmatch(SAFE_TEXT_PATTERN, kept)


@given(st.text(max_size=40))
@example("Ada\n")
@example("\n")
def test_the_published_pattern_never_accepts_a_refused_bmp_character(typed: str) -> None:
    # re.search is how Python's jsonschema applies a pattern (ECMA-262 is stricter at the end).
    if re.search(SAFE_TEXT_PATTERN, typed):
        assert not any(refused(c) and ord(c) <= 0xFFFF for c in typed)


@pytest.mark.parametrize(
    ("address", "sent_to"),
    [
        ("ada@example.com", "ada@example.com"),
        ("ada@bücher.example.com", "ada@xn--bcher-kva.example.com"),
    ],
)
def test_addresses_ses_can_send_to_are_kept_in_their_ascii_form(address: str, sent_to: str) -> None:
    assert EMAIL.validate_python(address) == sent_to


@pytest.mark.parametrize("address", ["用户@例子.广告", "josé@example.com", "ada.example.com"])
def test_addresses_ses_cannot_send_to_are_refused(address: str) -> None:
    with pytest.raises(ValidationError):
        Customer(name="Ada", email=address)


def test_minor_units_follow_iso_4217() -> None:
    assert (minor_units("EUR"), minor_units("JPY"), minor_units("KWD")) == (2, 0, 3)
    assert all(minor_units(code) in (0, 2, 3) for code in ISO_4217_CODES)
    with pytest.raises(KeyError):
        minor_units("XYZ")
