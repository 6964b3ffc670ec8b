"""Opting a recipient out of feedback requests with their one-click link.

Only a link that verifies (see ``services.notifications.unsubscribe``) records anything;
the recipient is an id, never the address.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from services.notifications.domain.ports import OptOutRecords
from services.notifications.unsubscribe import UnsubscribeLinks


@dataclass(frozen=True)
class OptOutDependencies:
    opt_outs: OptOutRecords
    links: UnsubscribeLinks


def opt_out(deps: OptOutDependencies, link: Mapping[str, str], at: datetime) -> bool:
    """Record the opt-out ``link`` (its query parameters) asks for; False, changing nothing,
    when it is not a genuine link."""
    recipient = deps.links.verify(link)
    if recipient is None:
        return False
    deps.opt_outs.opt_out(recipient, at)
    return True
