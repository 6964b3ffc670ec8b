"""Where infra finds the repository: wiring names files (ASL definitions) relative to it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
