"""The token table's conditional writes, on moto: the same rules as the in-memory fake."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest

from local.provision import provision
from services.workflow.adapters.tokens import DynamoTokenStore
from services.workflow.domain.ports import TokenRecord, TokenStatus
from services.workflow.wiring import WIRING
from tests.integration.workflow.conftest import NAMES
from tests.unit.workflow.samples import MOMENT


def _record(token: str, requested_after: timedelta = timedelta()) -> TokenRecord:
    requested_at = MOMENT + requested_after
    return TokenRecord(
        order_id="ord_store",
        task_token=token,
        execution_arn="arn:aws:states:us-east-1:123456789012:execution:m:ord_store",
        requested_at=requested_at,
        approval_deadline=requested_at + timedelta(hours=1),
        expires_at=requested_at + timedelta(days=15),
    )


@pytest.fixture
def store(aws: None) -> DynamoTokenStore:
    provisioned = provision(WIRING, NAMES)
    return DynamoTokenStore(boto3.client("dynamodb"), provisioned.tables["tokens"])


def test_the_same_or_an_older_request_keeps_the_record_and_a_newer_one_replaces_it(
    store: DynamoTokenStore,
) -> None:
    assert store.add(_record("first", timedelta(seconds=5)))
    assert not store.add(_record("first", timedelta(seconds=5)))
    assert not store.add(_record("older"))
    assert store.add(_record("newer", timedelta(microseconds=5_000_001)))

    kept = store.get("ord_store")
    assert kept is not None
    assert kept.task_token == "newer"
    assert kept.expires_at == MOMENT + timedelta(days=15, seconds=5)  # TTL: whole seconds


def test_a_token_is_announced_then_used_once(store: DynamoTokenStore) -> None:
    store.add(_record("tok"))
    store.mark_announced("ord_store", "another-token")
    assert (kept := store.get("ord_store")) is not None
    assert kept.status is TokenStatus.STORED

    store.mark_announced("ord_store", "tok")
    first = store.mark_used(
        "ord_store", "tok", decision="approved", outcome="DecisionRelayed", at=MOMENT
    )
    second = store.mark_used(
        "ord_store", "tok", decision="rejected", outcome="DecisionRelayed", at=MOMENT
    )

    assert (first, second) == (True, False)
    used = store.get("ord_store")
    assert used is not None
    assert (used.status, used.decision, used.used_at) == (TokenStatus.USED, "approved", MOMENT)
    assert store.get("ord_unknown") is None
