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


def already_replaced(
    owner: type, name: str, original: Callable[..., Any], replacement: Callable[..., Any]
) -> bool:
    """Whether ``owner.name`` is ``replacement`` already; fail if it is neither that nor
    moto's ``original`` (someone else replaced it, or moto changed)."""
    current = owner.__dict__.get(name)
    if current is replacement:
        return True
    if current is not original:
        raise MotoPatchError(f"{owner.__name__}.{name} is not moto's own")
    return False


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
