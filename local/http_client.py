"""A tiny HTTP client for talking to a running local stack (the CLI, the demo, e2e tests)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from local.http_events import HttpResponse


def send(
    method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> HttpResponse:
    if not url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise ValueError(f"the local stack only talks to this machine, not {url}")
    request = urllib.request.Request(url, data=body or None, headers=headers or {}, method=method)  # noqa: S310 - loopback only, checked above
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return HttpResponse(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return HttpResponse(
            error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()
        )


def post_json(url: str, payload: Any, headers: dict[str, str] | None = None) -> HttpResponse:
    return send(
        "POST",
        url,
        {"content-type": "application/json", **(headers or {})},
        json.dumps(payload).encode(),
    )
