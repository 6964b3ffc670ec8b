"""Limits a public HTTP endpoint checks before it parses a body.

Python's ``json`` parser recurses once per nesting level, so 50,000 nested arrays end in a
RecursionError (a 500, and an alarm) long before any model sees them. The size and depth are
therefore measured on the raw text, without recursion, and a body past either limit is
answered with a 400 that says which.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A string literal (skipped whole, so brackets inside it do not count) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENING = frozenset("[{")


@dataclass(frozen=True)
class BodyLimits:
    max_bytes: int
    max_depth: int


def json_depth_exceeds(text: str, max_depth: int) -> bool:
    """Whether brackets nest deeper than ``max_depth`` anywhere in ``text`` (stops early)."""
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in _OPENING:
            depth += 1
            if depth > max_depth:
                return True
        elif char in "]}":
            depth = max(depth - 1, 0)
    return False


def body_problem(event: Mapping[str, Any], limits: BodyLimits) -> str | None:
    """Why the request's body must not be parsed, or None when it may (payload 2.0 events)."""
    body = event.get("body")
    if not isinstance(body, str) or not body:
        return None  # API Gateway sends a string or nothing
    encoded = bool(event.get("isBase64Encoded"))
    size = len(body) * 3 // 4 if encoded else len(body.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_bytes:
        return f"The request body is larger than {limits.max_bytes} bytes."
    text = _decoded(body) if encoded else body
    if text is None:
        return "The request body is not valid base64."
    if json_depth_exceeds(text, limits.max_depth):
        return f"The request body nests deeper than {limits.max_depth} levels."
    return None


def _decoded(body: str) -> str | None:
    try:
        return base64.b64decode(body, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return None
