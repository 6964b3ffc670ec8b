"""What a handler's cold start loads: each handler the wirings declare is imported in a fresh
interpreter (the environment ``shop coldstart`` gives it, Lambda-like) and must not load what
it does not need on every invocation. A new handler is checked as soon as a wiring declares it.

The pattern that keeps a handler on this list (docs/decisions.md, "Cold starts"): clients and
adapters built on first use in ``bootstrap``; pydantic models with ``defer_build``; a module
needed on one path only imported on that path; the Tracer from
``services.common.observability.service_tracer``; no wiring at run time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from local.services import ALL_SERVICES
from tests.support.paths import REPO_ROOT
from tools.coldstart import child_environment

# Loaded by no handler at import: each is either needed on one path only, or never at run time.
NEVER_AT_IMPORT = {
    "aws_xray_sdk": "the X-Ray SDK loads on the first sampled invocation",
    "requests": "nothing of ours calls out over requests (the X-Ray SDK patches it if loaded)",
    "email_validator": "only where an address is validated, when it is",
    "pydantic_settings": "settings are plain models read from the environment",
    "services.common.wiring": "the wiring is build-time vocabulary",
    "aws_lambda_powertools.utilities.parser.models.sqs": "Powertools' parser models build",
}
# Loaded by these only: they render a page or a message on nearly every invocation.
JINJA2_RENDERERS = {
    "approvals/request",
    "approvals/decision",
    "approvals/reminder",
    "notifications/unsubscribe",
}

_CHILD = r"""
import importlib, json, sys
importlib.import_module(sys.argv[1])
import pydantic
seen, todo = set(), [pydantic.BaseModel]
while todo:
    for sub in todo.pop().__subclasses__():
        if sub not in seen:
            seen.add(sub)
            todo.append(sub)
built = sorted(
    f"{c.__module__}.{c.__qualname__}"
    for c in seen
    if c.__dict__.get("__pydantic_complete__") and c.__module__.startswith(("events", "services"))
)
print(json.dumps({"modules": sorted(sys.modules), "built": built}))
"""

HANDLERS = {
    f"{w.name}/{f.name}": f.handler.rsplit(".", 1)[0] for w in ALL_SERVICES for f in w.functions
}


@pytest.fixture(scope="module")
def loaded() -> dict[str, dict[str, list[str]]]:
    """Per handler, the modules its import loads and the models of ours it builds. All
    children run at once: each is a fresh interpreter, so they cannot see each other."""
    env = child_environment(ALL_SERVICES)
    children = {
        label: subprocess.Popen(
            [sys.executable, "-c", _CHILD, module],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label, module in HANDLERS.items()
    }
    found = {}
    for label, child in children.items():
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, f"importing {label} failed: {err[-2000:]}"
        found[label] = json.loads(out.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize("label", sorted(HANDLERS))
def test_a_handler_import_loads_nothing_it_does_not_need_on_every_invocation(
    label: str, loaded: dict[str, dict[str, list[str]]]
) -> None:
    modules = set(loaded[label]["modules"])

    wrongly = {m: why for m, why in NEVER_AT_IMPORT.items() if m in modules}
    wirings = sorted(m for m in modules if m.endswith(".wiring") and m.startswith("services."))
    assert not wrongly, f"{label} loads at import: {wrongly}"
    assert not wirings, f"{label} loads a wiring at import: {wirings}"
    assert ("jinja2" in modules) == (label in JINJA2_RENDERERS), f"{label}: jinja2 at import"


@pytest.mark.parametrize("label", sorted(HANDLERS))
def test_a_handler_import_builds_no_schema_of_ours(
    label: str, loaded: dict[str, dict[str, list[str]]]
) -> None:
    assert loaded[label]["built"] == [], (
        f"{label} builds these models at import; give them defer_build=True: "
        f"{loaded[label]['built']}"
    )
