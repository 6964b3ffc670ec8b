"""One deployment onto the emulator: synthesise once, bootstrap, deploy the stacks one at a time
in order, read what they print, and destroy them in reverse order."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from tools.deploy_check.cdk import CREDENTIALS, CdkCli
from tools.deploy_check.emulator import REGION, Emulator
from tools.deploy_check.toolchain import Toolchain

# The stage the check deploys: short durations so the timeout journey ends in seconds.
STAGE = "check"
APPROVAL_WINDOW_SECONDS = 15
CONTEXT = {
    "target": "ministack",
    "stage": STAGE,
    "owner_email": "owner@example.com",
    "sender_email": "shop@example.com",
    "removal_policy": "destroy",
    "approval_window_seconds": str(APPROVAL_WINDOW_SECONDS),
    "feedback_delay_seconds": "3",
    "decision_margin_seconds": "3",
}


def emulator_session() -> boto3.Session:
    """A boto3 session with the emulator's credentials and region; every client made from it
    is given the emulator's endpoint."""
    return boto3.Session(
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    )


@dataclass
class Deployment:
    toolchain: Toolchain
    emulator: Emulator
    workdir: Path
    # Deploy order: ShopAccount, then ShopBus, then the services.
    stacks: Sequence[str]
    # A test-only variant of the app (a command, as cdk.json's "app"); None: the app itself.
    app: str | None = None
    context: Mapping[str, str] = field(default_factory=lambda: dict(CONTEXT))
    deployed: list[str] = field(default_factory=list)

    @property
    def assembly(self) -> Path:
        return self.workdir / "cdk.out"

    @property
    def cli(self) -> CdkCli:
        return CdkCli(self.toolchain.cdk, self.emulator.endpoint, self.workdir / "cdk.log")

    def client(self, service: str) -> Any:
        """A client of the emulator (Any: not every service has type stubs installed)."""
        return emulator_session().client(service, endpoint_url=self.emulator.endpoint)  # type: ignore[call-overload]

    def synthesise(self) -> None:
        app = None if self.app is None else f"{self.toolchain.project_python} -m {self.app}"
        self.cli.synth(self.assembly, self.context, app=app)

    def deploy(self) -> None:
        self.cli.bootstrap()
        for stack_id in self.stacks:
            # Recorded first: a stack that failed half-way is destroyed too.
            self.deployed.append(stack_id)
            self.cli.deploy(self.assembly, stack_id)

    def destroy(self) -> list[str]:
        """Destroys every stack deployed, newest first; returns the failures (all are tried)."""
        failures = []
        while self.deployed:
            stack_id = self.deployed.pop()
            try:
                self.cli.destroy(self.assembly, stack_id)
            except RuntimeError as failure:
                failures.append(f"{stack_id}: {failure}")
        return failures

    def stack_name(self, stack_id: str) -> str:
        manifest = json.loads((self.assembly / "manifest.json").read_text(encoding="utf-8"))
        return str(manifest["artifacts"][stack_id]["properties"]["stackName"])

    def outputs(self, stack_id: str) -> dict[str, str]:
        (stack,) = self.client("cloudformation").describe_stacks(
            StackName=self.stack_name(stack_id)
        )["Stacks"]
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def physical_ids(self, stack_id: str, logical_prefix: str) -> list[str]:
        """The physical ids of the stack's resources whose logical id starts with the prefix
        (CDK appends a hash to the construct's name)."""
        resources = self.client("cloudformation").describe_stack_resources(
            StackName=self.stack_name(stack_id)
        )["StackResources"]
        return [
            r["PhysicalResourceId"]
            for r in resources
            if r["LogicalResourceId"].startswith(logical_prefix)
        ]

    def template(self, stack_id: str) -> dict[str, Any]:
        """The template deployed for the stack, as synthesised."""
        path = self.assembly / f"{stack_id}.template.json"
        template: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return template
