"""One lock around a moto method: the shape of the fidelity patches that make a call atomic."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any


def serialised(method: Callable[..., Any], lock: threading.RLock) -> Callable[..., Any]:
    """``method`` run while holding ``lock``; marked so a second ``apply`` leaves it alone."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return method(*args, **kwargs)

    wrapper.shop_serialised = True  # type: ignore[attr-defined]
    return wrapper


def is_serialised(method: object) -> bool:
    return bool(getattr(method, "shop_serialised", False))
