"""The HTTP side of the local stack: API Gateway routes and Function URLs, emulated.

``Router`` turns a request into the event AWS would send (``local.http_events``), invokes the
function and reads its response back; tests call it in-process. ``Gateway`` serves the same
router over real HTTP on 127.0.0.1 for browsers, curl and the end-to-end tests.

Each Function URL is mounted under ``/fn/<service>-<function>``; the prefix is stripped so the
function sees the same ``rawPath`` it would on its own ``*.lambda-url`` domain.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from local.http_events import (
    HttpRequest,
    HttpResponse,
    function_url_event,
    http_api_event,
    match_route,
    parse_response,
)
from local.jwt_authorizer import JwtAuthorizer, Refused, unauthorized
from local.lambda_runtime import InvocationError, LocalFunction
from services.common.wiring import FunctionUrlTrigger, HttpApiTrigger

log = logging.getLogger("shop.local.gateway")
Page = Callable[[HttpRequest], HttpResponse]


def function_url_prefix(service: str, function: str) -> str:
    return f"/fn/{service}-{function}"


def _error(status: int, message: str) -> HttpResponse:
    body = f'{{"message": "{message}"}}'.encode()
    return HttpResponse(status, {"content-type": "application/json"}, body)


@dataclass
class Router:
    apis: list[LocalFunction] = field(default_factory=list)
    function_urls: dict[str, LocalFunction] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    # The JWT authorizer in front of an API function's routes, by qualified function name.
    authorizers: dict[str, JwtAuthorizer] = field(default_factory=dict)

    def add(self, function: LocalFunction, authorizer: JwtAuthorizer | None = None) -> None:
        trigger = function.spec.trigger
        if isinstance(trigger, HttpApiTrigger):
            self.apis.append(function)
            if authorizer is not None:
                self.authorizers[function.qualified_name] = authorizer
        elif isinstance(trigger, FunctionUrlTrigger):
            self.function_urls[function_url_prefix(function.service, function.spec.name)] = function

    def handle(self, request: HttpRequest) -> HttpResponse:
        if request.path in self.pages:
            return self.pages[request.path](request)
        for prefix, function in self.function_urls.items():
            if request.path == prefix or request.path.startswith(prefix + "/"):
                inner = HttpRequest(
                    request.method,
                    request.path[len(prefix) :] or "/",
                    request.query,
                    request.headers,
                    request.body,
                    request.source_ip,
                )
                return self._invoke(function, function_url_event(inner), "function url")
        for function in self.apis:
            assert isinstance(function.spec.trigger, HttpApiTrigger)
            matched = match_route(function.spec.trigger.routes, request.method, request.path)
            if matched:
                route, params = matched
                event = http_api_event(request, route, params)
                authorizer = self.authorizers.get(function.qualified_name)
                if authorizer is not None:
                    try:
                        event["requestContext"]["authorizer"] = authorizer.authorize(
                            request.headers
                        )
                    except Refused as refused:
                        log.info("%s %s refused: %s", request.method, route.path, refused.reason)
                        return HttpResponse(*unauthorized(refused.reason))
                return self._invoke(function, event, f"{route.method} {route.path}")
        return _error(404, "Not Found")

    def _invoke(
        self, function: LocalFunction, event: dict[str, object], trigger: str
    ) -> HttpResponse:
        try:
            return parse_response(function.invoke(event, trigger=trigger))
        except InvocationError:
            # What API Gateway and Function URLs answer when the function errors.
            return _error(
                502 if function.spec.trigger.kind == "function_url" else 500,
                "Internal Server Error",
            )

    def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> HttpResponse:
        """Send a request to the router by URL (in-process; the host part is ignored)."""
        parts = urlsplit(url)
        return self.handle(
            HttpRequest(method, parts.path or "/", parts.query, dict(headers or {}), body)
        )


class _Handler(BaseHTTPRequestHandler):
    router: Router
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        request = HttpRequest(
            self.command,
            parts.path,
            parts.query,
            dict(self.headers.items()),
            body,
            self.client_address[0],
        )
        try:
            response = self.router.handle(request)
        except Exception:
            log.exception("gateway error on %s %s", self.command, parts.path)
            response = _error(500, "Internal Server Error")
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name not in ("content-length", "connection"):
                self.send_header(name, value)
        for cookie in response.cookies:
            self.send_header("set-cookie", cookie)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)


class Gateway:
    """Serves a router on ``host:port`` (port 0 picks a free one) in a background thread."""

    def __init__(self, router: Router, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = type("BoundHandler", (_Handler,), {"router": router})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="gateway", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
