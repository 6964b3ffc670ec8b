"""The server's dispatcher lists moto's package directory on every request.

``DomainDispatcherApplication.get_backend_for_host`` asks ``moto.backends.list_of_moto_modules``
whether the host names a backend, and that walks ``os.listdir`` + ``os.path.isdir`` over
moto's ~200 folders each time. The folders do not change while the process runs: list once.
"""

from __future__ import annotations

from collections.abc import Iterable

import moto.backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from local.moto_patches.errors import MotoPatchError, require_source

_ORIGINAL = moto.backends.list_of_moto_modules


def apply() -> None:
    current = moto.backends.list_of_moto_modules
    if getattr(current, "cached_by_shop", False):
        return
    require_source(_ORIGINAL, "os.listdir")
    require_source(
        DomainDispatcherApplication.get_backend_for_host, "backends.list_of_moto_modules()"
    )
    modules = frozenset(_ORIGINAL())
    if "sqs" not in modules:
        raise MotoPatchError("moto.backends.list_of_moto_modules() no longer lists 'sqs'")
    ordered = tuple(sorted(modules))

    def list_of_moto_modules() -> Iterable[str]:
        return ordered

    list_of_moto_modules.cached_by_shop = True  # type: ignore[attr-defined]
    moto.backends.list_of_moto_modules = list_of_moto_modules
