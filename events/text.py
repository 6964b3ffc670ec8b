"""Rules for text that people type and other people read: names, item names, comments.

Such text is shown to the store owner among the shop's own lines (the approval message,
emails, pages), so it must not be able to pass for them. It is NFC-normalised, its runs of
horizontal whitespace become one space, it is trimmed, and it is refused when it holds a
character that changes how the text around it reads: controls (Cc: CR, LF, NUL, ...),
format characters (Cf: bidi embeddings, overrides and isolates, zero-width characters,
soft hyphen, ...), line and paragraph separators (Zl, Zp) and lone surrogates (Cs, which
cannot even be encoded as UTF-8).

The refused characters are listed here as fixed ranges rather than looked up in
``unicodedata`` at run time, so that the published JSON Schema pattern and the runtime check
are one and the same on every Python; a unit test checks the ranges still cover every such
character of the running Python's Unicode version.
"""

from __future__ import annotations

import re
import unicodedata

# Every Cc, Cf, Cs, Zl and Zp code point of Unicode 15.
FORBIDDEN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
# Space separators (Zs) and TAB: folded to one ASCII space.
HORIZONTAL_SPACE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0009, 0x0009),
    (0x0020, 0x0020),
    (0x00A0, 0x00A0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)


def _char(code_point: int) -> str:
    return f"\\U{code_point:08x}" if code_point > 0xFFFF else f"\\u{code_point:04x}"


def _class_body(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        _char(low) if low == high else f"{_char(low)}-{_char(high)}" for low, high in ranges
    )


def _bmp(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    return tuple(r for r in ranges if r[1] <= 0xFFFF)


_OTHER_SPACES = tuple(r for r in HORIZONTAL_SPACE_RANGES if r != (0x20, 0x20))
# The published form of the rule, for the JSON Schemas: no space at either end, never two in
# a row, no other spacing character, no refused character of the Basic Multilingual Plane.
# \uXXXX reads the same in Python's re and ECMA-262; the few refused characters beyond it
# (tag and musical-notation format characters) have no escape both understand, so the
# schema leaves them to the models, which refuse them too. The end is "no character
# follows" rather than ``$``, which Python's re (and so Python's jsonschema) also matches
# before a final newline.
_SAFE_TEXT_BODY = (
    f"^(?! )(?!.* $)(?!.*  )[^{_class_body(_bmp(FORBIDDEN_RANGES))}{_class_body(_OTHER_SPACES)}]*"
)
SAFE_TEXT_PATTERN = _SAFE_TEXT_BODY + r"(?![\s\S])"
# The pattern as v1 schemas first published it: the same strings under ECMA-262, JSON
# Schema's regex dialect; Python's re read its ``$`` as also allowing one final newline.
SAFE_TEXT_PATTERN_FIRST_PUBLISHED = _SAFE_TEXT_BODY + "$"

_FORBIDDEN_CHAR = re.compile(f"[{_class_body(FORBIDDEN_RANGES)}]")
_SPACE_RUN = re.compile(f"[{_class_body(HORIZONTAL_SPACE_RANGES)}]+")


class UnsafeTextError(ValueError):
    """Text holding a character that could make it read as something else."""


def fold(text: str) -> str:
    """NFC, runs of horizontal whitespace as one space, trimmed."""
    return _SPACE_RUN.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")


def safe_text(text: str) -> str:
    """``text`` folded; raises ``UnsafeTextError`` naming the first refused character."""
    folded = fold(text)
    if found := _FORBIDDEN_CHAR.search(folded):
        char = found.group()
        name = unicodedata.name(char, "")
        what = f"{name}, category" if name else "category"
        raise UnsafeTextError(
            f"contains U+{ord(char):04X} ({what} {unicodedata.category(char)}); "
            "control, format and line-separator characters are not allowed"
        )
    return folded
