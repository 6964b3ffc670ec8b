"""``shop coldstart``'s measuring harness (tools/coldstart.py): what it imports, in what
environment, and that an import reaching for the network is caught."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from local.services import ALL_SERVICES
from tests.support.paths import REPO_ROOT
from tools.coldstart import (
    BASELINES,
    BOTO3,
    CLOSED_ENDPOINT,
    FLOOR,
    ImportFailedError,
    Target,
    Timing,
    child_environment,
    report,
    targets,
    time_import,
)


def env_with(path: Path) -> dict[str, str]:
    env = child_environment(ALL_SERVICES)
    env["PYTHONPATH"] = os.pathsep.join([str(path), str(REPO_ROOT)])
    return env


def test_every_declared_handler_is_timed_next_to_the_baselines() -> None:
    chosen = targets(ALL_SERVICES)

    handlers = {f"{w.name}/{f.name}": f.handler for w in ALL_SERVICES for f in w.functions}
    assert [t.module for t in chosen if t.baseline] == list(BASELINES)
    assert {t.label: t.module for t in chosen if not t.baseline} == {
        label: handler.rsplit(".", 1)[0] for label, handler in handlers.items()
    }


def test_the_child_gets_every_declared_variable_and_no_way_to_a_real_account() -> None:
    env = child_environment(ALL_SERVICES)

    declared = [t.env_var for w in ALL_SERVICES for t in w.tables]
    declared += [s.env_var for w in ALL_SERVICES for s in w.secrets]
    declared += [m.env_var for w in ALL_SERVICES for m in w.state_machines]
    assert all(env.get(name) for name in declared)
    assert env["AWS_ENDPOINT_URL"] == CLOSED_ENDPOINT
    assert env["AWS_ACCESS_KEY_ID"] == "coldstart"
    assert "AWS_PROFILE" not in env


def test_the_child_looks_like_lambda_so_the_xray_sdk_takes_its_lambda_path() -> None:
    env = child_environment(ALL_SERVICES)

    assert env["LAMBDA_TASK_ROOT"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"]


def test_the_floor_baseline_imports_what_every_handler_needs(tmp_path: Path) -> None:
    wall_ms, _, connects = time_import(FLOOR, env_with(tmp_path))

    assert connects == []
    assert wall_ms > 0


def test_the_report_gives_each_handler_against_boto3_and_against_the_floor() -> None:
    timings = [
        Timing(Target(BOTO3, BOTO3, baseline=True), wall_ms=[100.0, 200.0], cpu_ms=[90.0, 90.0]),
        Timing(Target(FLOOR, FLOOR, baseline=True), wall_ms=[200.0, 200.0], cpu_ms=[1, 1]),
        Timing(Target("orders/api", "services.orders.handlers.api"), [300.0, 300.0], [2, 2]),
    ]
    out = io.StringIO()

    report(timings, runs=2, out=out)

    text = out.getvalue()
    row = next(line for line in text.splitlines() if line.strip().startswith("orders/api"))
    assert row.split()[-6:] == ["300", "2", "2.00", "1.50", "0.02", "2.00"]
    assert "slowest orders/api at 2.00x boto3, 1.50x the floor" in text
    assert "the floor itself is 1.33x boto3" in text
    assert "no import tried to open a connection" in text


def test_every_handler_imports_without_opening_a_connection(tmp_path: Path) -> None:
    # One child for all of them keeps this quick; `shop coldstart` times them one by one.
    modules = sorted({t.module for t in targets(ALL_SERVICES) if not t.baseline})
    (tmp_path / "all_handlers.py").write_text(
        "".join(f"import {m}\n" for m in modules), encoding="utf-8"
    )

    wall_ms, cpu_ms, connects = time_import("all_handlers", env_with(tmp_path))

    assert connects == []
    assert wall_ms > 0
    assert cpu_ms > 0


def test_an_import_that_reaches_for_the_network_is_caught(tmp_path: Path) -> None:
    (tmp_path / "calls_home.py").write_text(
        "import socket\nsocket.create_connection(('192.0.2.1', 443), timeout=1)\n",
        encoding="utf-8",
    )
    (tmp_path / "tries_quietly.py").write_text(
        "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
        "except OSError:\n    pass\n",
        encoding="utf-8",
    )

    with pytest.raises(ImportFailedError, match="after trying to connect"):
        time_import("calls_home", env_with(tmp_path))
    _, _, connects = time_import("tries_quietly", env_with(tmp_path))
    assert connects == ["('192.0.2.1', 443)"]
