"""Every backend lookup takes moto's global lock and scans the list of backends in use.

``BackendDict.__getitem__`` (``sqs_backends[account]``, done several times per request)
calls ``_create_account_specific_backend``, which takes ``backend_lock``, lists the dict's
keys and checks ``self not in BackendDict._instances``: a comparison with every backend
dict in use, each through ``__eq__``. About 4 % of the bench's CPU, and every request
thread queues on the one lock. An account's entry is only ever added there, together with
the registration, and ``BackendDict.reset`` clears both; so once the account is in the dict
there is nothing to create or register, and the lookup returns at once. The first lookup
(and the first after a reset) still runs moto's code under its lock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.core.base_backend import BackendDict

from local.moto_patches.errors import MotoPatchError, require_source

_METHOD = "_create_account_specific_backend"
_ORIGINAL: Callable[..., None] = BackendDict.__dict__[_METHOD]


@functools.wraps(_ORIGINAL)
def _create_account_specific_backend(self: Any, account_id: str) -> None:
    if dict.__contains__(self, account_id):
        return
    _ORIGINAL(self, account_id)


def apply() -> None:
    current = BackendDict.__dict__.get(_METHOD)
    if current is _create_account_specific_backend:
        return
    if current is not _ORIGINAL:
        raise MotoPatchError(f"BackendDict.{_METHOD} is not moto's own")
    require_source(
        _ORIGINAL,
        "with backend_lock:",
        "self[account_id] = AccountSpecificBackend(",
        "BackendDict._instances.append(self)",
    )
    require_source(BackendDict.reset, "backend.clear()", "BackendDict._instances.clear()")
    setattr(BackendDict, _METHOD, _create_account_specific_backend)
