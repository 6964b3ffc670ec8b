"""The link-signing keyring over Secrets Manager's version stages, on moto."""

from __future__ import annotations

import boto3
import pytest

from local.keys import rotate
from services.approvals.adapters.signing_key import REFRESH_SECONDS, SecretKeyring
from tests.integration.approvals.conftest import Approvals


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Reads:
    """Counts GetSecretValue calls made by one client."""

    def __init__(self, client: object) -> None:
        self.count = 0
        client.meta.events.register("before-call.secrets-manager.GetSecretValue", self._seen)  # type: ignore[attr-defined]

    def _seen(self, **_: object) -> None:
        self.count += 1


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_the_current_key_signs_and_after_a_rotation_the_previous_still_verifies(
    approvals: Approvals, clock: Clock
) -> None:
    client = boto3.client("secretsmanager")
    before = SecretKeyring(client, approvals.secret_id, clock=clock).current()

    new_kid, previous_kid = rotate(client, approvals.secret_id)
    keyring = SecretKeyring(client, approvals.secret_id, clock=clock)

    assert previous_kid == before.kid
    assert keyring.current().kid == new_kid != before.kid
    assert keyring.find(before.kid) == before
    assert keyring.find(new_kid) == keyring.current()


def test_a_key_two_rotations_old_is_not_found(approvals: Approvals, clock: Clock) -> None:
    client = boto3.client("secretsmanager")
    oldest = SecretKeyring(client, approvals.secret_id, clock=clock).current()

    rotate(client, approvals.secret_id)
    rotate(client, approvals.secret_id)

    assert SecretKeyring(client, approvals.secret_id, clock=clock).find(oldest.kid) is None


def test_a_warm_keyring_learns_a_key_rotated_in_since_it_looked(
    approvals: Approvals, clock: Clock
) -> None:
    client = boto3.client("secretsmanager")
    warm = SecretKeyring(client, approvals.secret_id, clock=clock)
    old = warm.current()

    new_kid, _ = rotate(client, approvals.secret_id)
    clock.now += REFRESH_SECONDS

    found = warm.find(new_kid)
    assert found is not None
    assert found.kid == new_kid
    assert warm.find(old.kid) == old


def test_invented_key_ids_cause_at_most_one_read_per_refresh_interval(
    approvals: Approvals, clock: Clock
) -> None:
    client = boto3.client("secretsmanager")
    reads = Reads(client)
    keyring = SecretKeyring(client, approvals.secret_id, clock=clock)
    keyring.current()
    first = reads.count

    for attempt in range(50):
        assert keyring.find(f"invented-{attempt}") is None

    assert reads.count == first
    clock.now += REFRESH_SECONDS
    assert keyring.find("invented") is None
    assert reads.count == 2 * first
