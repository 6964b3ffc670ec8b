"""moto in server mode on 127.0.0.1: the embedded AWS that standard clients can reach.

Clients in this process (the handlers, the local runtime, moto's own Step Functions
interpreter) reach the same backends without the loopback HTTP hop (``local.inprocess``);
moto's hot spots are cached by the patches in ``local.moto_patches``.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request

from moto.server import ThreadedMotoServer

from local import inprocess, moto_patches


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class MotoServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, in_process: bool = True) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.in_process = in_process
        self._server = ThreadedMotoServer(ip_address=host, port=self.port, verbose=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        # moto's Step Functions interpreter calls back into the server on this port.
        os.environ["MOTO_PORT"] = str(self.port)
        moto_patches.apply_all()
        self._server.start()
        if self.in_process:
            inprocess.install().serve(self.port)
        # moto keeps state per process: a stack started earlier in this process (a test
        # worker runs several) would leave its emails in this one's mailbox. Start empty.
        self._call("/moto-api/reset", {})
        self._call("/moto-api/config", {"stepfunctions": {"execute_state_machine": True}})

    def _call(self, path: str, payload: dict[str, object]) -> None:
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            f"{self.url}{path}",
            data=json.dumps(payload).encode(),
            headers={"content-type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - our own loopback server
            pass

    def client_environment(self) -> dict[str, str]:
        """What boto3 (and the aws CLI) need to reach this server and nothing else."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "local",
        }

    def stop(self) -> None:
        inprocess.TRANSPORT.release(self.port)
        self._server.stop()
