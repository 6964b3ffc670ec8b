"""Unsubscribe links: only an untouched link made with our key names a recipient."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from services.notifications.unsubscribe import UnsubscribeLinks, recipient_id

LINKS = UnsubscribeLinks(lambda: b"u" * 32)


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_a_link_names_the_recipient_by_id_never_by_address() -> None:
    url = LINKS.url("https://u.example.test/", "Ada@Example.com")

    assert url.startswith("https://u.example.test/unsubscribe?r=")
    assert "ada" not in url.lower().split("?", 1)[1].replace(recipient_id("ada@example.com"), "")
    assert LINKS.verify(params(url)) == recipient_id("ada@example.com")


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p | {"r": recipient_id("grace@example.com")},
        lambda p: p | {"sig": p["sig"][:-1] + ("A" if p["sig"][-1] != "A" else "B")},
        lambda p: {"r": p["r"]},
        lambda p: p | {"r": p["r"].upper()},
        lambda p: p | {"sig": "é"},
    ],
    ids=["other-recipient", "flipped-sig", "no-sig", "not-canonical", "non-ascii"],
)
def test_a_changed_link_is_refused(change: object) -> None:
    genuine = params(LINKS.url("https://u.example.test", "ada@example.com"))

    assert LINKS.verify(change(genuine)) is None  # type: ignore[operator]


def test_a_link_made_with_another_key_is_refused() -> None:
    forged = UnsubscribeLinks(lambda: b"x" * 32).url("https://u.example.test", "ada@example.com")

    assert LINKS.verify(params(forged)) is None
