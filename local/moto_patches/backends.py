"""Every backend lookup takes moto's global lock and compares the dict with every other.

``BackendDict.__getitem__`` (``sqs_backends[account]``, done several times per request)
calls ``_create_account_specific_backend``, which takes ``backend_lock``, lists the dict's
keys and checks ``self not in BackendDict._instances``: a comparison with every backend
dict in use, each through ``__eq__`` (dict equality, contents and all). About 4 % of the
bench's CPU, and every request thread queues on the one lock. When the account is already in
the dict and the dict is registered (checked by identity, not equality), there is nothing to
create or register and the lookup returns at once; otherwise moto's own code runs under its
lock. Both conditions matter: a reset re-creates backends, and one backend's constructor can
look up another dict (SES v2 takes SES's) after the reset cleared that one, putting an
account back into a dict the reset then unregisters. moto's next lookup registers it again;
skipping that would let the next reset miss it, and its state survive.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.core.base_backend import BackendDict

from local.moto_patches.errors import already_replaced, require_source

_METHOD = "_create_account_specific_backend"
_ORIGINAL: Callable[..., None] = BackendDict.__dict__[_METHOD]


def _registered() -> list[Any]:
    registry: Any = BackendDict
    return registry._instances  # type: ignore[no-any-return]


@functools.wraps(_ORIGINAL)
def _create_account_specific_backend(self: Any, account_id: str) -> None:
    if dict.__contains__(self, account_id) and any(known is self for known in _registered()):
        return
    _ORIGINAL(self, account_id)


def apply() -> None:
    if already_replaced(BackendDict, _METHOD, _ORIGINAL, _create_account_specific_backend):
        return
    require_source(
        _ORIGINAL,
        "with backend_lock:",
        "self[account_id] = AccountSpecificBackend(",
        "BackendDict._instances.append(self)",
    )
    require_source(BackendDict.reset, "backend.clear()", "BackendDict._instances.clear()")
    setattr(BackendDict, _METHOD, _create_account_specific_backend)
