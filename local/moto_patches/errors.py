"""The one error a patch raises when moto is no longer what it was written against."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any


class MotoPatchError(RuntimeError):
    """moto's internals changed under a patch: update or drop the patch (docs/moto-patches.md)."""


def require_source(function: Callable[..., Any], *needles: str) -> None:
    """Fail unless ``function``'s source still holds each of ``needles``."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError) as error:
        raise MotoPatchError(f"cannot read {function!r}: {error}") from error
    for needle in needles:
        if needle not in source:
            name = f"{function.__module__}.{function.__qualname__}"
            raise MotoPatchError(f"{name} no longer contains {needle!r}")
