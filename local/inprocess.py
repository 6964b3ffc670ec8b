"""Calls to the local moto server from this process, answered without the loopback HTTP hop.

The moto server runs in a thread of this process, so its backends are this process's. A
botocore client pointed at it (the handlers', the local runtime's, moto's own Step Functions
interpreter's) would serialise the request, send it through a socket to werkzeug and Flask,
which pick the backend and its URL rule and call the same response method this transport
calls. ``InProcessTransport`` is a ``before-send`` handler that does that picking itself and
hands botocore the response: the same request object (normalised as the server normalises it),
the same URL, the same backend state, the same response bytes. Any other client (the aws CLI,
another process) still reaches the server over HTTP, and any request this transport cannot
place (moto's own ``/moto-api``) goes over HTTP too.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import botocore.handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ClientError
from moto.core.botocore_stubber import MockRawResponse
from moto.core.request import Request
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from local import inprocess_signing

Route = tuple[re.Pattern[str], Callable[..., Any]]
_LOOPBACK = frozenset({"127.0.0.1", "localhost"})


class _ServerRequest(Request):
    # What the server's Flask app builds (``BackendRequest``), so moto answers as it does there.
    from_wsgi_server = True


class InProcessTransport:
    """Answers botocore requests to the moto server on the ports it serves, in this process."""

    def __init__(self) -> None:
        self._ports: set[int] = set()
        self._lock = threading.Lock()
        self._dispatcher = DomainDispatcherApplication(create_backend_app)
        self._backends: dict[str, str] = {}
        self._routes: dict[str, list[Route]] = {}
        self.answered = 0  # requests answered in-process (tests check the transport is used)

    def serve(self, port: int) -> None:
        with self._lock:
            self._ports.add(port)

    def release(self, port: int) -> None:
        with self._lock:
            self._ports.discard(port)

    def serves(self, url: str) -> bool:
        """Whether a request to ``url`` goes to a server this transport answers for."""
        if not self._ports:
            return False
        parts = urlsplit(url)
        return parts.port in self._ports and parts.hostname in _LOOPBACK

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if not self.serves(request.url):
            return None
        url = urlsplit(request.url)
        handler = self._handler(request, url.path or "/")
        if handler is None:
            return None
        moto_request = _ServerRequest.from_primitives(
            request.method or "GET", request.url, request.headers, request.body
        )
        from moto.moto_api import recorder  # noqa: PLC0415 - as the server does per request

        recorder._record_request(moto_request)
        try:
            result = handler(moto_request, moto_request.raw_url, dict(moto_request.headers))
        except ClientError as error:  # what the server's Flask view turns it into
            result = 400, {}, error.response["Error"]["Message"]
        except Exception as error:
            from werkzeug.exceptions import HTTPException  # noqa: PLC0415

            if not isinstance(error, HTTPException):
                raise
            result = error.code or 500, dict(error.get_headers()), error.get_body()
        status, headers, body = result if len(result) == 3 else (200, {}, result)
        self.answered += 1
        raw = MockRawResponse(body if isinstance(body, str | bytes) else b"")
        return AWSResponse(request.url, status, _header_strings(headers), raw)  # type: ignore[arg-type]

    def _handler(self, request: AWSPreparedRequest, path: str) -> Callable[..., Any] | None:
        if path.startswith("/moto-api"):
            return None
        backend = self._backend(request, path)
        if backend is None:
            return None
        for pattern, handler in self._backend_routes(backend):
            if pattern.match(path):
                return handler
        return None

    def _backend(self, request: AWSPreparedRequest, path: str) -> str | None:
        """The backend the server would pick (``DomainDispatcherApplication.get_application``)."""
        body: Any = request.body
        text = body.decode("utf-8", "replace") if isinstance(body, bytes | bytearray) else ""
        text = body if isinstance(body, str) else text
        environ = {
            "PATH_INFO": path,
            "HTTP_HOST": urlsplit(request.url).netloc,
            "CONTENT_TYPE": _header(request, "Content-Type"),
            "CONTENT_LENGTH": str(len(text.encode())),
            "HTTP_USER_AGENT": _header(request, "User-Agent"),
            "wsgi.input": BytesIO(text.encode()),
        }
        for name, key in (
            ("Authorization", "HTTP_AUTHORIZATION"),
            ("X-Amz-Target", "HTTP_X_AMZ_TARGET"),
        ):
            if value := _header(request, name):
                environ[key] = value
        host = self._dispatcher.infer_service_region_host(environ, path)
        if host is None:
            return None
        if host not in self._backends:
            backend = self._dispatcher.get_backend_for_host(host)
            if backend is None:
                return None
            self._backends[host] = backend
        return self._backends[host]

    def _backend_routes(self, backend: str) -> list[Route]:
        """The backend's URL rules, as ``create_backend_app`` gives them to the server."""
        if backend not in self._routes:
            from moto import backends  # noqa: PLC0415
            from moto.core.base_backend import BackendDict  # noqa: PLC0415
            from moto.core.models import DEFAULT_ACCOUNT_ID  # noqa: PLC0415

            backend_dict = backends.get_backend(backend)  # type: ignore[call-overload]
            if isinstance(backend_dict, BackendDict):
                regions = backend_dict[DEFAULT_ACCOUNT_ID]
                instance = regions["us-east-1"] if "us-east-1" in regions else regions["aws"]
            else:
                instance = backend_dict["global"]
            self._routes[backend] = [
                (re.compile(path if path.endswith("$") else f"{path}/?$"), handler)
                for path, handler in instance.url_paths.items()
                if path  # the server cannot route an empty path either
            ]
        return self._routes[backend]


def _header(request: AWSPreparedRequest, name: str) -> str:
    value = request.headers.get(name, "")
    return value.decode() if isinstance(value, bytes) else str(value)


def _header_strings(headers: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(headers).items()}


TRANSPORT = InProcessTransport()


def install() -> InProcessTransport:
    """Every botocore session (the default one and any made later) asks the transport first,
    and requests it answers are not signed (``local.inprocess_signing``)."""
    inprocess_signing.install(TRANSPORT.serves)
    if ("before-send", TRANSPORT) not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(("before-send", TRANSPORT))
        import boto3  # noqa: PLC0415

        if boto3.DEFAULT_SESSION is not None:
            boto3.DEFAULT_SESSION.events.register("before-send", TRANSPORT)  # type: ignore[arg-type]
    return TRANSPORT
