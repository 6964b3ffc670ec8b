"""The local stack as a server: moto on loopback, every service, and the HTTP gateway.

What ``shop local`` and ``shop demo`` run and what the end-to-end tests start on free ports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from local.gateway import Gateway, Router
from local.lambda_runtime import BeforeInvoke
from local.moto_server import MotoServer
from local.pages import mount
from local.services import local_services
from local.settings import LocalStackSettings
from local.stack import LocalStack


@dataclass
class LocalServer:
    settings: LocalStackSettings
    before_invoke: BeforeInvoke | None = None
    moto: MotoServer | None = None
    gateway: Gateway | None = None
    stack: LocalStack | None = None
    _saved_env: dict[str, str | None] = field(default_factory=dict)

    def start(self) -> None:
        self.moto = MotoServer(
            self.settings.host, self.settings.moto_port, in_process=self.settings.in_process
        )
        self.moto.start()
        # Every boto3 client the handlers build from here on talks to moto, and only to moto.
        for var, value in self.moto.client_environment().items():
            self._saved_env.setdefault(var, os.environ.get(var))
            os.environ[var] = value
        os.environ.setdefault("AWS_DEFAULT_REGION", self.settings.region)
        router = Router()
        self.gateway = Gateway(router, self.settings.host, self.settings.port)
        self.stack = LocalStack(
            self.settings,
            base_url=self.gateway.url,
            router=router,
            services=local_services(example_subscriber=self.settings.example_subscriber),
            before_invoke=self.before_invoke,
        )
        self.stack.start()
        mount(router, self.stack.mailbox)
        self.gateway.start()

    def stop(self) -> None:
        if self.gateway:
            self.gateway.stop()
        if self.stack:
            self.stack.stop()
        if self.moto:
            self.moto.stop()
        for var, value in self._saved_env.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value

    @property
    def url(self) -> str:
        assert self.gateway is not None, "not started"
        return self.gateway.url

    def setting(self, name: str) -> str:
        assert self.stack is not None, "not started"
        return self.stack.setting(name)

    def urls(self) -> dict[str, str]:
        assert self.moto is not None, "not started"
        return {
            "orders API": f"{self.url}/orders",
            "mailbox": f"{self.url}/mailbox",
            "moto endpoint (aws --endpoint-url)": self.moto.url,
        }

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
