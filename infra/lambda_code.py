"""What every function runs: the repository's source and one pinned dependency layer.

- Code: the repository root as a plain asset holding an allow-list of what functions need at
  run time (the event contract's runtime modules, the services' Python and templates); the
  contract's tooling, the local stack, the measuring tools and infra stay out. No Docker, no
  build step: what the tests import is what runs. No bytecode either (docs/decisions.md).
- Dependencies beyond the runtime's boto3, Powertools included
  (``infra/layer/requirements.txt``, the versions the tests install): installed by pip on the
  deploying machine for the Lambda platform (manylinux wheels, CPython 3.12), again without
  Docker. ``cdk deploy ShopOrders`` bundles only that stack.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import (
    AssetHashType,
    BundlingOptions,
    DockerImage,
    ILocalBundling,
    Stack,
)
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.paths import REPO_ROOT

LAYER_DIR = Path(__file__).resolve().parent / "layer"
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.X86_64
LAYER_ID = "DependenciesLayer"

# What functions import or read at run time, and nothing else: the contract's runtime part
# and the services' Python and templates. Glob rules, applied in order, the last match wins;
# a pattern without "/" matches any path's last part.
RUNTIME_EVENTS_MODULES = ("__init__.py", "models.py", "publisher.py", "currencies.py", "text.py")
SOURCE_EXCLUDES = [
    "*",
    "!events",
    *(f"!events/{module}" for module in RUNTIME_EVENTS_MODULES),
    "!services",
    "!services/**",
    # Data beside the code (OpenAPI and ASL documents, READMEs) is for build and review.
    "services/**/*.*",
    "!services/**/*.py",
    "!services/*/templates/**",
    "tests",
    # Never bytecode: the repository's is for this machine's Python, not the Lambda runtime.
    ".*",
    "__pycache__",
    "*.pyc",
]


def source_code() -> lambda_.Code:
    """The functions' code asset; one object per stack is enough (CDK stages it once)."""
    return lambda_.Code.from_asset(str(REPO_ROOT), exclude=SOURCE_EXCLUDES)


def dependencies_layer(scope: Construct) -> lambda_.LayerVersion:
    """The stack's dependency layer, created on first use: its functions and probes share it."""
    stack = Stack.of(scope)
    existing = stack.node.try_find_child(LAYER_ID)
    if isinstance(existing, lambda_.LayerVersion):
        return existing
    return lambda_.LayerVersion(
        stack,
        LAYER_ID,
        description="Powertools and every other runtime dependency beyond boto3 (infra/layer).",
        compatible_runtimes=[RUNTIME],
        compatible_architectures=[ARCHITECTURE],
        code=lambda_.Code.from_asset(
            str(LAYER_DIR),
            # The requirements file decides the content: same file, same layer, no rebuild.
            asset_hash_type=AssetHashType.SOURCE,
            bundling=BundlingOptions(
                # Never used: local bundling always answers. A bundling image is mandatory.
                image=DockerImage.from_registry("public.ecr.aws/sam/build-python3.12"),
                local=PipInstall(LAYER_DIR / "requirements.txt"),
            ),
        ),
    )


def pip_install_command(requirements: Path, target: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--only-binary=:all:",
        # Bytecode pip compiles is for this machine's Python, not the Lambda runtime's.
        "--no-compile",
        "--platform",
        "manylinux2014_x86_64",
        "--implementation",
        "cp",
        "--python-version",
        "3.12",
        "--target",
        str(target),
        "--requirement",
        str(requirements),
    ]


@jsii.implements(ILocalBundling)
class PipInstall:
    """Bundles the layer with this machine's pip instead of a Docker container."""

    def __init__(self, requirements: Path) -> None:
        self.requirements = requirements

    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        # jsii hands the bundling options over positionally; none of them matter here.
        # Lambda puts /opt/python on sys.path for Python layers.
        target = Path(output_dir) / "python"
        subprocess.run(pip_install_command(self.requirements, target), check=True)  # noqa: S603
        return True
