"""Small patches to moto's hot spots, applied when the local stack's moto starts.

Each module caches one thing moto rebuilds on every request or execution and changes nothing
else; each checks that what it replaces is still what it was written against and raises
``MotoPatchError`` otherwise, so a moto upgrade that moves the code fails at start-up instead of
silently running slow. docs/moto-patches.md describes them for an upstream proposal.
"""

from __future__ import annotations

from local.moto_patches import asl_trees, dispatch, event_templates, sfn_clients, signals
from local.moto_patches.errors import MotoPatchError

PATCHES = (dispatch, event_templates, asl_trees, sfn_clients, signals)

__all__ = ["PATCHES", "MotoPatchError", "apply_all"]


def apply_all() -> None:
    """Apply every patch (idempotent)."""
    for patch in PATCHES:
        patch.apply()
