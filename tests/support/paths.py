"""Where the repository is, for tests that read its committed files."""

from __future__ import annotations

from services.common.wiring import REPO_ROOT

__all__ = ["REPO_ROOT"]
