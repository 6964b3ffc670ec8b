"""Where infra finds the repository: wiring names files (ASL definitions) relative to it."""

from __future__ import annotations

from services.common.wiring import REPO_ROOT

__all__ = ["REPO_ROOT"]
