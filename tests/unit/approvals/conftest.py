"""A store, a publisher that can be told to fail, and a pending approval whose owner has been
sent the links."""

from __future__ import annotations

import pytest

from services.approvals.domain.requests import (
    LinkSettings,
    RequestDependencies,
    request_approval,
)
from services.approvals.links import LinkSigner
from services.approvals.models import Approval
from tests.unit.approvals.fakes import (
    BASE_URL,
    KEY,
    MARGIN,
    NOW,
    FlakyPublisher,
    InMemoryApprovalStore,
    RecordingNotifier,
    StaticKeyring,
    approval_requested,
)


@pytest.fixture
def store() -> InMemoryApprovalStore:
    return InMemoryApprovalStore()


@pytest.fixture
def publisher() -> FlakyPublisher:
    return FlakyPublisher()


@pytest.fixture
def approval(store: InMemoryApprovalStore) -> Approval:
    """A pending approval whose owner has been sent the links."""
    deps = RequestDependencies(
        store=store,
        notifier=RecordingNotifier(),
        signer=LinkSigner(StaticKeyring(KEY)),
        links=LinkSettings(BASE_URL, 3600, MARGIN),
        publisher=FlakyPublisher(),
    )
    request_approval(approval_requested("ord_1"), deps, now=NOW)
    found = store.find_by_order("ord_1")
    assert found is not None
    return found
