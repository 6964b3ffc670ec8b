"""Clients that answer every call with made-up identifiers, for running the local provisioner
without moto when only the environment it hands out matters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FakeAnswer(dict[str, Any]):
    """Any field the provisioner reads from an answer: a nested answer for the wrapper keys,
    a made-up identifier for the rest."""

    NESTED = frozenset({"TableDescription", "Attributes", "UserPool", "UserPoolClient"})

    def __missing__(self, key: str) -> Any:
        return FakeAnswer() if key in self.NESTED else f"fake-{key.lower()}"


class FakeClient:
    def __init__(self, service: str) -> None:
        self.service = service

    def __getattr__(self, operation: str) -> Callable[..., FakeAnswer]:
        def call(**_request: Any) -> FakeAnswer:
            return FakeAnswer()

        return call
