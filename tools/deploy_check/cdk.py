"""The pinned CDK CLI, run non-interactively against the emulator with a time limit per command.

The app is synthesised once into a cloud assembly; every deploy and destroy then reads that
assembly (``--app <dir>``), which is what CDK pipelines do and saves a synthesis per stack.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from services.common.wiring import REPO_ROOT
from tools.deploy_check.emulator import ACCOUNT, REGION

SYNTH_TIMEOUT_SECONDS = 240.0
STACK_TIMEOUT_SECONDS = 120.0
# The emulator accepts any well-formed credentials; these name its default account.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


class CdkFailed(RuntimeError):
    """A CDK command failed; the message holds the command and the end of its output."""


@dataclass(frozen=True)
class CdkCli:
    cdk: Path
    endpoint: str
    # Where the command's output goes, for reading after a failure.
    log_path: Path

    def synth(self, outdir: Path, context: Mapping[str, str], app: str | None = None) -> None:
        """Synthesise ``app`` (default: cdk.json's) into ``outdir``, bundling the layer."""
        arguments = ["synth", "--quiet", "--output", str(outdir)]
        if app is not None:
            arguments += ["--app", app]
        for key, value in context.items():
            arguments += ["--context", f"{key}={value}"]
        self._run(arguments, SYNTH_TIMEOUT_SECONDS)

    def bootstrap(self) -> None:
        self._run(["bootstrap", f"aws://{ACCOUNT}/{REGION}", "--app", ""], STACK_TIMEOUT_SECONDS)

    def deploy(self, assembly: Path, stack_id: str) -> None:
        """Deploys one stack alone, as ``cdk deploy <Stack> --exclusively`` does."""
        self._run(
            [
                "deploy",
                stack_id,
                "--app",
                str(assembly),
                "--exclusively",
                "--require-approval",
                "never",
                "--progress",
                "events",
            ],
            STACK_TIMEOUT_SECONDS,
        )

    def destroy(self, assembly: Path, stack_id: str) -> None:
        self._run(
            ["destroy", stack_id, "--app", str(assembly), "--exclusively", "--force"],
            STACK_TIMEOUT_SECONDS,
        )

    def _run(self, arguments: Sequence[str], timeout: float) -> None:
        command = [str(self.cdk), *arguments, "--no-notices", "--no-version-reporting"]
        with self.log_path.open("ab") as log:
            log.write(f"\n$ cdk {' '.join(arguments)}\n".encode())
            log.flush()
            try:
                result = subprocess.run(  # noqa: S603 - the pinned CLI, fixed arguments
                    command,
                    cwd=REPO_ROOT,
                    env=self._environment(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise CdkFailed(
                    f"`cdk {arguments[0]}` took longer than {timeout:.0f} s\n{self._tail()}"
                ) from None
        if result.returncode != 0:
            raise CdkFailed(f"`cdk {' '.join(arguments[:2])}` failed\n{self._tail()}")

    def _environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        return (
            inherited
            | CREDENTIALS
            | {
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                # Non-interactive: no prompts, no update check, no colours in the log.
                "CI": "true",
                "CDK_DISABLE_VERSION_CHECK": "1",
                "FORCE_COLOR": "0",
                "NO_COLOR": "1",
                "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            }
        )

    def _tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])
