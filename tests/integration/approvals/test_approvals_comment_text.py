"""The owner's comment follows the contract's rules for text people type: what could not
be published is refused before anything is recorded. The textarea's own line breaks (CR LF)
are the one exception: they become spaces, so a comment typed on two lines is kept."""

from __future__ import annotations

import pytest

from events.models import OrderApproved
from tests.integration.approvals.conftest import Approvals
from tests.integration.approvals.test_approvals_service import (
    assert_safe_page,
    form_fields,
    owner_links,
)


@pytest.mark.parametrize(
    "comment",
    ["ok\x00", "ship \u202eyadot\u202c", "a\u2028b", "a\x0bb", "a\u200bb"],
    ids=["NUL", "bidi override", "line separator", "vertical tab", "zero-width space"],
)
def test_a_comment_with_control_or_bidi_characters_decides_nothing(
    approvals: Approvals, comment: str
) -> None:
    links = owner_links(approvals, "ord_comment")
    fields = form_fields(approvals.open(links["approve"]))
    before = approvals.items()

    refused = approvals.submit(links["approve"], fields | {"comment": comment})

    assert_safe_page(refused, 400)
    assert approvals.items() == before
    assert approvals.bus_events() == []


def test_a_comment_is_published_folded_on_one_line(approvals: Approvals) -> None:
    links = owner_links(approvals, "ord_comment_ok")
    fields = form_fields(approvals.open(links["approve"]))
    typed = "  Ship\t\ttoday,\r\n\r\n  please "  # as a textarea sends two lines

    approvals.submit(links["approve"], fields | {"comment": typed})

    [event] = approvals.bus_events()
    approved = event.typed()
    assert isinstance(approved, OrderApproved)
    assert approved.data.comment == "Ship today, please"
