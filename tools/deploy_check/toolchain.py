"""Where the deploy check finds the tools ``make deploy-check`` installs for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.common.wiring import REPO_ROOT

STATE_DIR = REPO_ROOT / ".deploy-check"
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Toolchain:
    # The emulator's own Python 3.12 environment (emulator-requirements.txt).
    emulator_python: Path
    # The pinned CDK CLI (cdk-cli/package.json and its lock file).
    cdk: Path
    # The project's environment: it runs the CDK app (cdk.json's "app").
    project_python: Path

    @classmethod
    def installed(cls) -> Toolchain:
        """The installed tools; fails with the command that installs them when one is missing."""
        found = cls(
            emulator_python=STATE_DIR / "venv" / "bin" / "python",
            cdk=HERE / "cdk-cli" / "node_modules" / ".bin" / "cdk",
            project_python=REPO_ROOT / ".venv" / "bin" / "python",
        )
        missing = [str(p.relative_to(REPO_ROOT)) for p in found.paths() if not p.exists()]
        if missing:
            raise FileNotFoundError(f"{', '.join(missing)} missing: run `make deploy-check`")
        return found

    def paths(self) -> tuple[Path, ...]:
        return (self.emulator_python, self.cdk, self.project_python)
