"""Finding a request's action: routed four times, and the response class listed each time.

``BaseResponse._get_action`` matches the request against the service's router (for REST
services a werkzeug URL map) and is called four times per request: by ``setup_class``,
``parse_parameters``, ``call_action`` and ``serialized``. The request does not change in
between, so the answer is kept on the response object for that request (moto builds a new
response object per request anyway; the router's side effect, ``uri_match``, was set by the
first call). ``call_action`` then turns the action into a method name with
``camelcase_to_underscores`` and checks it against ``method_names_from_class(self.__class__)``,
which runs ``inspect.getmembers`` over the class and its bases (hundreds of attributes) on
every request. A response class's methods are fixed once it is defined (patches replace
methods, they do not add actions), so the list is kept per class; the name conversion is a
pure function of the action name and keeps its answers too. Together about 7 % of the bench's
CPU.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, cast

import moto.core.utils
from moto.core import responses
from moto.core.responses import BaseResponse

from local.moto_patches.errors import (
    Replacement,
    already_replaced,
    replace_imported,
    require_source,
)

_ORIGINAL_NAMES: Callable[[object], list[str]] = moto.core.utils.method_names_from_class
_ORIGINAL_CAMELCASE: Callable[[str], str] = moto.core.utils.camelcase_to_underscores
_ORIGINAL_GET_ACTION: Callable[[Any], str] = BaseResponse.__dict__["_get_action"]
_names: dict[object, list[str]] = {}
_lock = threading.Lock()


def method_names_from_class(clazz: object) -> list[str]:
    names = _names.get(clazz)
    if names is None:
        with _lock:
            names = _names.setdefault(clazz, _ORIGINAL_NAMES(clazz))
    return names


# A pure function of a constant name; SQS's models share this cache (``sqs_queues``).
camelcase_to_underscores = functools.lru_cache(maxsize=4096)(_ORIGINAL_CAMELCASE)


@functools.wraps(_ORIGINAL_GET_ACTION)
def _get_action(self: Any) -> str:
    request = self.normalized_request
    known = self.__dict__.get("_shop_action")
    if known is not None and known[0] is request:
        return cast(str, known[1])  # moto's own answer, None for an unknown action
    action = _ORIGINAL_GET_ACTION(self)
    self._shop_action = (request, action)
    return action


_NAMES: tuple[Replacement, ...] = (
    ("method_names_from_class", _ORIGINAL_NAMES, method_names_from_class),
    ("camelcase_to_underscores", _ORIGINAL_CAMELCASE, camelcase_to_underscores),
)


def apply() -> None:
    if already_replaced(BaseResponse, "_get_action", _ORIGINAL_GET_ACTION, _get_action):
        return
    require_source(_ORIGINAL_GET_ACTION, "self._get_action_from_request(self.normalized_request)")
    require_source(BaseResponse.dispatch, "cls()._dispatch(")  # one response object per request
    require_source(_ORIGINAL_NAMES, "inspect.getmembers(clazz")
    require_source(
        BaseResponse.call_action,
        "camelcase_to_underscores(self._get_action())",
        "method_names_from_class(self.__class__)",
    )
    replace_imported(responses, _NAMES)
    BaseResponse._get_action = _get_action  # type: ignore[method-assign]
