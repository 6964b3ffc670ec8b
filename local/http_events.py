"""The events AWS sends a function for an HTTP request, and the response it reads back.

Both the API Gateway HTTP API and Lambda Function URLs use payload format 2.0; they differ
in ``routeKey``/``pathParameters`` (the API matches routes, a Function URL does not) and in
when the body arrives base64-encoded. The gateway and the in-process tests share this.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from services.common.wiring import HttpRoute

# Function URLs pass these content types as text; anything else arrives base64-encoded.
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


@dataclass
class HttpRequest:
    method: str
    path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    source_ip: str = "127.0.0.1"


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)

    def json_status(self) -> str | None:
        """The ``status`` field of a JSON body (an order's state), if any."""
        body = self.json() if self.body else {}
        return body.get("status") if isinstance(body, dict) else None


def match_route(
    routes: tuple[HttpRoute, ...], method: str, path: str
) -> tuple[HttpRoute, dict[str, str]] | None:
    for route in routes:
        if route.method.upper() not in (method.upper(), "ANY"):
            continue
        pattern = "^" + re.sub(r"\{([A-Za-z0-9_]+)\}", r"(?P<\1>[^/]+)", route.path) + "$"
        if matched := re.match(pattern, path):
            return route, matched.groupdict()
    return None


def _base_event(request: HttpRequest, route_key: str, domain: str) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in request.headers.items()}
    content_type = headers.get("content-type", "")
    is_text = not request.body or content_type.startswith(_TEXT_TYPES)
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": domain.split(".", 1)[0],
            "domainName": domain,
            "domainPrefix": domain.split(".", 1)[0],
            "http": {
                "method": request.method.upper(),
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if "cookie" in headers:
        event["cookies"] = [c.strip() for c in headers.pop("cookie").split(";")]
    if request.query:
        event["queryStringParameters"] = dict(parse_qsl(request.query, keep_blank_values=True))
    if request.body:
        event["body"] = (
            request.body.decode("utf-8") if is_text else base64.b64encode(request.body).decode()
        )
    return event


def http_api_event(
    request: HttpRequest, route: HttpRoute, path_parameters: dict[str, str]
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event for a matched route."""
    event = _base_event(
        request, f"{route.method.upper()} {route.path}", "local.execute-api.localhost"
    )
    if path_parameters:
        event["pathParameters"] = path_parameters
    return event


def function_url_event(request: HttpRequest) -> dict[str, Any]:
    """A Lambda Function URL event: every path and method reaches the function."""
    return _base_event(request, "$default", "local.lambda-url.us-east-1.on.aws")


def parse_response(result: Any) -> HttpResponse:
    """Read a handler's result as API Gateway and Function URLs do (payload 2.0)."""
    if not isinstance(result, dict) or "statusCode" not in result:
        # 2.0 treats anything else as a 200 JSON body.
        return HttpResponse(200, {"content-type": "application/json"}, json.dumps(result).encode())
    headers = {k.lower(): str(v) for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name.lower()] = ", ".join(str(v) for v in values)
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
    return HttpResponse(int(result["statusCode"]), headers, raw, list(result.get("cookies") or []))
