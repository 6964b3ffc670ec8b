"""The one error a patch raises when moto is no longer what it was written against, and the
checks that raise it."""

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


# (name a moto module imported, moto's own function, the replacement)
Replacement = tuple[str, Callable[..., Any], Callable[..., Any]]


def replace_imported(module: Any, replacements: tuple[Replacement, ...]) -> None:
    """Rebind names ``module`` imported from moto's utilities, each only if it is still moto's
    own function (nothing changes when one is not)."""
    for name, original, _ in replacements:
        if getattr(module, name, None) is not original:
            raise MotoPatchError(f"{module.__name__}.{name} is not moto's own {name}")
    for name, _, replacement in replacements:
        setattr(module, name, replacement)
