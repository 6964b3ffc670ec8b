"""EventBridge builds a JSONPath parser (a PLY grammar) for every path of every target.

``EventTemplateParser.parse`` renders each target's input (the default template has nine
paths) by calling ``jsonpath_ng.ext.parse`` per path and event, and each call constructs an
``ExtendedJsonPathParser``, which regenerates PLY's lexer and LR tables. The parsed expression
is a pure function of the path text, so parse each path once (the Step Functions
interpreter's ``extract_json``, which imported the same function by name, shares the cache).
"""

from __future__ import annotations

import functools
from typing import Any

import jsonpath_ng.ext
from moto.events.utils import EventTemplateParser
from moto.stepfunctions.parser.asl.utils import json_path as json_path_module

from local.moto_patches.errors import MotoPatchError, require_source

# Typed loosely: the names patched here are re-exports mypy does not see as public.
jsonpath_ext: Any = jsonpath_ng.ext
json_path: Any = json_path_module

_ORIGINAL = jsonpath_ext.parse


@functools.lru_cache(maxsize=1024)
def _parse(path: str, debug: bool | None = None) -> Any:
    return _ORIGINAL(path, debug=debug)


def apply() -> None:
    if jsonpath_ext.parse is _parse and json_path.parse is _parse:
        return
    # moto imports the name inside the function, so replacing the module attribute reaches it.
    require_source(EventTemplateParser.parse, "from jsonpath_ng.ext import parse")
    require_source(_ORIGINAL, "ExtendedJsonPathParser(")
    if json_path.parse is not _ORIGINAL:
        raise MotoPatchError("moto's Step Functions json_path no longer uses jsonpath_ng.ext.parse")
    jsonpath_ext.parse = _parse
    json_path.parse = _parse


def cache_info() -> Any:
    return _parse.cache_info()
