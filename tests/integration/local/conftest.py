"""What the local stack's own tests share: a moto server of their own, per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.moto_server import MotoServer


@pytest.fixture(scope="module")
def server() -> Iterator[MotoServer]:
    """moto in server mode on a free port, its requests from this process answered in-process."""
    moto = MotoServer()
    moto.start()
    try:
        yield moto
    finally:
        moto.stop()
