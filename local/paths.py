"""Where the repository is: the local stack and the tools read its committed files."""

from __future__ import annotations

from services.common.wiring import REPO_ROOT

EVENT_SCHEMAS_DIR = REPO_ROOT / "events" / "schemas"
EVENT_EXAMPLES_DIR = REPO_ROOT / "events" / "examples"

__all__ = ["EVENT_EXAMPLES_DIR", "EVENT_SCHEMAS_DIR", "REPO_ROOT"]
