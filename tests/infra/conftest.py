"""The CDK app, synthesised once per test session (synthesis takes seconds, not millis)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The machine's Node.js may be older than jsii likes; the banner is noise in test output.
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# CDK's built-in template validator (a WASM engine) costs ~11 s of CPU per process; the
# tests run cfn-lint on every template instead. `cdk synth` / `cdk deploy` keep it on.
os.environ.setdefault("CDK_VALIDATION", "false")

pytest.importorskip("aws_cdk", reason="the cdk extra is not installed")

from aws_cdk import App, Stack
from aws_cdk.cx_api import CloudAssembly

from infra.app import SERVICES, build_app
from infra.naming import stack_id
from infra.paths import REPO_ROOT
from infra.stacks.service import ServiceStack

SENDER = "shop@example.com"
OWNER = "owner@example.com"
BACKUP_APPROVER = "backup@example.com"


def deploy_context() -> dict[str, Any]:
    """cdk.json's context (what `cdk deploy` sees) plus the values a deployer must give."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return {
        **context,
        "sender_email": SENDER,
        "owner_email": OWNER,
        "backup_approver_email": BACKUP_APPROVER,
        # Skip the pip-built dependency layer: tests must not need PyPI.
        "aws:cdk:bundling-stacks": [],
        "aws:cdk:version-reporting": False,
    }


@dataclass(frozen=True)
class Synthesized:
    app: App
    assembly: CloudAssembly
    outdir: Path
    context: dict[str, Any]

    def stack(self, construct_id: str) -> Stack:
        child = self.app.node.find_child(construct_id)
        assert isinstance(child, Stack)
        return child

    def service(self, name: str) -> ServiceStack:
        child = self.stack(stack_id(name))
        assert isinstance(child, ServiceStack)
        return child

    def template(self, construct_id: str) -> dict[str, Any]:
        template: dict[str, Any] = self.assembly.get_stack_by_name(
            self.stack(construct_id).stack_name
        ).template
        return template

    def templates(self) -> dict[str, dict[str, Any]]:
        return {s.node.id: self.template(s.node.id) for s in self.stacks()}

    def stacks(self) -> list[Stack]:
        return [c for c in self.app.node.children if isinstance(c, Stack)]


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    outdir = tmp_path_factory.mktemp("cdk.out")
    context = deploy_context()
    app = build_app(App(context=context, outdir=str(outdir)))
    # cdk-nag runs here as a validation plugin: an unacknowledged finding raises.
    assembly = app.synth()
    return Synthesized(app=app, assembly=assembly, outdir=outdir, context=context)


@pytest.fixture(params=SERVICES)
def service_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name
