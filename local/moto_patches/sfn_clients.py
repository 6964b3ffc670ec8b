"""The Step Functions interpreter creates a new boto3 client for every Task state it runs.

``boto_client_for`` builds ``boto3.client(...)`` (loading the service model, the endpoint
rules and the event handlers: milliseconds of CPU each) each time a Task calls SQS, SNS,
EventBridge or Lambda. The arguments are fixed per (region, service, endpoint) and botocore
clients are safe to share between threads once built, so one client is kept per combination.
Every module of the interpreter imported the function by name, so each one's reference is
replaced.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import threading
from typing import Any

import moto.stepfunctions.parser.asl as asl_package
from moto.core.models import botocore_stubber
from moto.settings import moto_server_port
from moto.stepfunctions.parser.asl.utils import boto_client

from local.moto_patches.errors import MotoPatchError, require_source

_ORIGINAL = boto_client.boto_client_for
_clients: dict[tuple[str, str, bool, str], Any] = {}
_lock = threading.Lock()


def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
    if state_credentials is not None:  # a Task that assumes a role: build it as moto does
        return _ORIGINAL(region, service, state_credentials)
    # The original decides between mock mode and the server per call: so does the key.
    key = (region, service, botocore_stubber.enabled, moto_server_port())
    with _lock:
        if key not in _clients:
            _clients[key] = _ORIGINAL(region, service)
        return _clients[key]


def _interpreter_modules() -> list[Any]:
    prefix = asl_package.__name__ + "."
    for info in pkgutil.walk_packages(asl_package.__path__, prefix):
        if "state_task" in info.name or "resource_eval" in info.name:
            importlib.import_module(info.name)
    return [
        module
        for name, module in list(sys.modules.items())
        if name.startswith(prefix) and module is not None and hasattr(module, "boto_client_for")
    ]


def apply() -> None:
    require_source(_ORIGINAL, "boto3.client(", "botocore_stubber.enabled", "moto_server_port()")
    users = [m for m in _interpreter_modules() if m is not boto_client]
    if not users:
        raise MotoPatchError("no Step Functions module imports boto_client_for any more")
    for module in users:
        if module.boto_client_for not in (_ORIGINAL, boto_client_for):
            raise MotoPatchError(f"{module.__name__}.boto_client_for is not moto's own")
        module.boto_client_for = boto_client_for
    boto_client.boto_client_for = boto_client_for


def clear() -> None:
    """Forget the clients (a test that resets moto's server port builds new ones)."""
    with _lock:
        _clients.clear()


def cached_clients() -> int:
    return len(_clients)
