"""A published schema version never changes in a breaking way; a new version only when needed.

Published means committed: the schema file in the work tree, and every earlier state of it in
git history (so a breaking change committed together with its regenerated schema still
fails). The tests at the bottom prove the checks fire, on model variants built here, without
touching a committed file.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import AwareDatetime

from events.models import (
    ALL_EVENTS,
    Approver,
    Comment,
    ContractModel,
    Event,
    OrderApproved,
    OrderCancelled,
    OrderId,
    OrderSummary,
)
from tests.contract.files import read_json
from tests.support.paths import REPO_ROOT
from tools.contract.compat import Breaking, breaking_changes
from tools.contract.schema_gen import BreakingChangeError, generate_schema, render, write_schemas
from tools.contract.schemas import SCHEMAS_DIR, committed_versions, load_schema, schema_file_name

# --- the checks -------------------------------------------------------------------------


def published_versions_of(
    path: Path, *, history: bool = True, repository: Path = REPO_ROOT
) -> list[tuple[str, dict[str, Any]]]:
    """(where, schema) for the committed file and, with git, each earlier commit of it."""
    published = [("work tree", read_json(path))] if path.exists() else []
    if history:
        published += git_history(path, repository)
    return published


def git_history(path: Path, repository: Path = REPO_ROOT) -> list[tuple[str, dict[str, Any]]]:
    """Each committed state of ``path``, newest first; none outside a repository."""
    if shutil.which("git") is None or not path.resolve().is_relative_to(repository):
        return []
    relative = path.resolve().relative_to(repository).as_posix()
    log = subprocess.run(
        ["git", "log", "--format=%h", "--", relative],
        cwd=repository,
        capture_output=True,
        text=True,
        check=False,
    )
    if log.returncode != 0:  # not a repository, or no commit yet
        return []
    found = []
    for commit in log.stdout.split():
        shown = subprocess.run(
            ["git", "show", f"{commit}:{relative}"],
            cwd=repository,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode == 0:  # the commit that deleted the file has none
            found.append((f"commit {commit}", json.loads(shown.stdout)))
    return found


def assert_no_unversioned_breaking_change(
    event: type[Event],
    directory: Path = SCHEMAS_DIR,
    *,
    history: bool = True,
    repository: Path = REPO_ROOT,
) -> None:
    """The model's schema must not break any published state of its version's schema."""
    name = schema_file_name(event.detail_type, event.version)
    generated = generate_schema(event)
    problems: dict[str, list[Breaking]] = {}
    published_versions = published_versions_of(
        directory / name, history=history, repository=repository
    )
    for where, published in published_versions:
        changes = breaking_changes(published, generated)
        if changes:
            problems[where] = changes
    if problems:
        listed = "\n".join(
            f"  against events/schemas/{name} in the {where}:\n"
            + "\n".join(f"    - {change}" for change in changes)
            for where, changes in problems.items()
        )
        raise AssertionError(
            f"The {event.detail_type} model breaks its published version {event.version} "
            f"without a version bump:\n{listed}\n"
            f"Raise `version` on {event.detail_type} (the v{event.version} schema stays "
            "committed for existing consumers), or make the change compatible."
        )


def assert_versions_are_needed(detail_type: str, directory: Path = SCHEMAS_DIR) -> None:
    """Versions are consecutive, and each one breaks the previous (else it is needless)."""
    versions = committed_versions(detail_type, directory)
    problems = []
    if versions and versions[0] != 1:
        problems.append(f"versions start at {versions[0]}, not 1")
    for previous, current in itertools.pairwise(versions):
        if current != previous + 1:
            problems.append(f"v{previous} is followed by v{current}")
            continue
        old = load_schema(detail_type, previous, directory)
        new = load_schema(detail_type, current, directory)
        if not breaking_changes(old, new):
            problems.append(
                f"{schema_file_name(detail_type, current)} is backward compatible with "
                f"{schema_file_name(detail_type, previous)}: a compatible change stays in "
                f"version {previous}, so consumers need not migrate"
            )
    assert not problems, f"{detail_type} schema versions: " + "; ".join(problems)


# --- on the committed contract ----------------------------------------------------------


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.detail_type)
def test_model_does_not_break_its_published_schema(event: type[Event]) -> None:
    assert_no_unversioned_breaking_change(event)


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.detail_type)
def test_every_committed_version_is_needed(event: type[Event]) -> None:
    assert_versions_are_needed(event.detail_type)


# --- the checks fire: deliberately broken variants, never committed -----------------------


class ApprovedDataWithoutComment(ContractModel):
    order_id: OrderId
    decision: Literal["approved"] = "approved"
    decided_at: AwareDatetime


class OrderApprovedVariant(Event):
    """A stand-in for OrderApproved whose data each test changes."""

    detail_type = OrderApproved.detail_type
    source = OrderApproved.source
    description = OrderApproved.description
    consumers = OrderApproved.consumers


class OrderApprovedWithoutComment(OrderApprovedVariant):
    """OrderApproved with its optional `comment` removed: breaking, version not raised."""

    data: ApprovedDataWithoutComment


class OrderApprovedWithoutCommentV2(OrderApprovedWithoutComment):
    version = 2


class ApprovedDataWithTracking(ContractModel):
    order_id: OrderId
    decision: Literal["approved"] = "approved"
    decided_at: AwareDatetime
    comment: Comment | None = None
    decided_by: Approver | None = None
    carrier: str | None = None  # a new optional field: compatible


class OrderApprovedWithCarrierV2(OrderApprovedVariant):
    version = 2
    data: ApprovedDataWithTracking


class CancelledDataOnlyRejected(OrderSummary):
    reason: Literal["rejected"]
    cancelled_at: AwareDatetime
    refunded_at: datetime  # a new required field


class OrderCancelledNarrowed(Event):
    detail_type = OrderCancelled.detail_type
    source = OrderCancelled.source
    description = OrderCancelled.description
    consumers = OrderCancelled.consumers
    data: CancelledDataOnlyRejected


def publish(event: type[Event], directory: Path) -> Path:
    """The event's schema as the current model generates it, committed in ``directory``."""
    path = directory / schema_file_name(event.detail_type, event.version)
    path.write_text(render(generate_schema(event)), encoding="utf-8")
    return path


def test_check_fires_on_a_removed_field_without_a_version_bump(tmp_path: Path) -> None:
    publish(OrderApproved, tmp_path)
    with pytest.raises(AssertionError) as raised:
        assert_no_unversioned_breaking_change(OrderApprovedWithoutComment, tmp_path)
    message = str(raised.value)
    assert "breaks its published version 1 without a version bump" in message
    assert "$.data.comment: property removed" in message
    assert "Raise `version` on OrderApproved" in message


def test_check_lists_every_breaking_change(tmp_path: Path) -> None:
    publish(OrderCancelled, tmp_path)
    with pytest.raises(AssertionError) as raised:
        assert_no_unversioned_breaking_change(OrderCancelledNarrowed, tmp_path)
    message = str(raised.value)
    assert (
        '$.data.reason: enum narrowed: "approval_timeout", "customer_cancelled" no longer allowed'
        in message
    )
    assert "$.data.refunded_at: new required property" in message


def test_a_version_bump_lets_a_breaking_change_through(tmp_path: Path) -> None:
    # v2 has no published schema yet, so nothing can break; v1 stays committed beside it.
    assert_no_unversioned_breaking_change(OrderApprovedWithoutCommentV2, tmp_path)
    publish(OrderApproved, tmp_path)
    (tmp_path / "OrderApproved.v2.json").write_text(
        render(generate_schema(OrderApprovedWithoutCommentV2))
    )
    assert_versions_are_needed("OrderApproved", tmp_path)


def test_a_needless_version_bump_is_refused(tmp_path: Path) -> None:
    publish(OrderApproved, tmp_path)
    (tmp_path / "OrderApproved.v2.json").write_text(
        render(generate_schema(OrderApprovedWithCarrierV2))
    )
    with pytest.raises(AssertionError, match=r"OrderApproved\.v2\.json is backward compatible"):
        assert_versions_are_needed("OrderApproved", tmp_path)


def test_a_gap_in_versions_is_refused(tmp_path: Path) -> None:
    publish(OrderApproved, tmp_path)
    (tmp_path / "OrderApproved.v3.json").write_text(
        render(generate_schema(OrderApprovedWithoutCommentV2))
    )
    with pytest.raises(AssertionError, match="v1 is followed by v3"):
        assert_versions_are_needed("OrderApproved", tmp_path)


def test_regenerating_refuses_to_overwrite_a_version_with_a_breaking_change(
    tmp_path: Path,
) -> None:
    published = publish(OrderApproved, tmp_path)
    with pytest.raises(BreakingChangeError, match=r"\$\.data\.comment: property removed"):
        write_schemas(tmp_path, [OrderApprovedWithoutComment])
    assert published.read_text() == render(generate_schema(OrderApproved))


def test_regenerating_writes_a_compatible_change(tmp_path: Path) -> None:
    publish(OrderApproved, tmp_path)

    class OrderApprovedWithCarrier(OrderApprovedWithCarrierV2):
        version = 1

    assert write_schemas(tmp_path, [OrderApprovedWithCarrier]) == [
        tmp_path / "OrderApproved.v1.json"
    ]
    assert (
        "carrier"
        in read_json(tmp_path / "OrderApproved.v1.json")["$defs"]["ApprovedDataWithTracking"][
            "properties"
        ]
    )


def test_check_fires_on_a_breaking_change_committed_with_its_regenerated_schema(
    tmp_path: Path,
) -> None:
    # Someone forces the regeneration (--allow-breaking) and commits both: the work tree
    # agrees with the model, but the version published in an earlier commit does not.
    schemas = tmp_path / "events" / "schemas"
    schemas.mkdir(parents=True)
    publish(OrderApproved, schemas)
    _git(tmp_path, "init", "--quiet")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "--quiet", "-m", "publish v1")
    write_schemas(schemas, [OrderApprovedWithoutComment], allow_breaking=True)
    _git(tmp_path, "commit", "--quiet", "-am", "drop the comment")

    assert_no_unversioned_breaking_change(
        OrderApprovedWithoutComment, schemas, history=False, repository=tmp_path
    )
    with pytest.raises(AssertionError, match=r"in the commit [0-9a-f]+:\n    - \$\.data\.comment"):
        assert_no_unversioned_breaking_change(
            OrderApprovedWithoutComment, schemas, repository=tmp_path
        )


def _git(repository: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Contract Test",
            "-c",
            "user.email=contract@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repository,
        check=True,
    )
