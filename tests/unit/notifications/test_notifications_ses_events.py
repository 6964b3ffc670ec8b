"""An SES event we cannot read is refused with the fields that are wrong, never their values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.notifications.ses_events import MalformedSesEventError, delivery_report


def test_a_malformed_ses_event_names_the_fields_but_not_their_values() -> None:
    detail = {"eventType": "Bounce", "mail": {"messageId": "m-1", "timestamp": "ada@example.com"}}

    with pytest.raises(MalformedSesEventError) as refused:
        delivery_report(detail, datetime(2030, 5, 1, tzinfo=UTC))

    assert "mail.timestamp" in str(refused.value)
    assert "ada@example.com" not in str(refused.value)
