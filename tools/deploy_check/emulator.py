"""The ministack emulator as a process the deploy check owns: a free loopback port, a log file,
a bounded start, and a stop that kills its whole process group (the functions' workers too)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import requests

REGION = "us-east-1"
# ministack's default account; CloudFormation and ARNs use it.
ACCOUNT = "000000000000"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.2


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmulatorFailed(RuntimeError):
    """The emulator did not start, or died; the message ends with its log's last lines."""


class Emulator:
    """``with Emulator(python, workdir) as emulator:`` runs ministack on 127.0.0.1 until the
    block ends, however it ends. ``enforce_iam`` turns on the emulator's IAM checks."""

    def __init__(self, python: Path, workdir: Path, *, enforce_iam: bool = False) -> None:
        self.python = python
        self.workdir = workdir
        self.enforce_iam = enforce_iam
        self.port = free_port()
        self.log_path = workdir / f"emulator-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        # Lambda code, layers and pid files land in the emulator's temporary directory.
        tmp = self.workdir / f"tmp-{self.port}"
        tmp.mkdir(parents=True, exist_ok=True)
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("AWS_")
        } | {
            "GATEWAY_PORT": str(self.port),
            "BIND_HOST": "127.0.0.1",
            "MINISTACK_REGION": REGION,
            "AUTH": "true" if self.enforce_iam else "false",
            "LOG_LEVEL": "INFO",
            "TMPDIR": str(tmp),
        }
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own pinned interpreter
                [str(self.python), "-m", "ministack"],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Its own process group: stop() ends the functions' workers with it.
                start_new_session=True,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise EmulatorFailed(f"the emulator exited at start\n{self.log_tail()}")
            try:
                if requests.get(f"{self.endpoint}/_ministack/health", timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(POLL_SECONDS)  # the polling interval, not a wait for the outcome
        self.stop()
        raise EmulatorFailed(
            f"the emulator did not answer within {START_TIMEOUT_SECONDS:.0f} s\n{self.log_tail()}"
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
        # Workers that outlived their parent's SIGTERM still belong to the group.
        _signal_group(process, signal.SIGKILL)
        shutil.rmtree(self.workdir / f"tmp-{self.port}", ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no emulator log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
