"""Where the repository is: the local stack and the tools read its committed files."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EVENT_SCHEMAS_DIR = REPO_ROOT / "events" / "schemas"
EVENT_EXAMPLES_DIR = REPO_ROOT / "events" / "examples"
