"""``shop coldstart``: how long each handler module takes to import in a fresh process.

A Lambda cold start runs the handler module's imports before the first event, so that import
time is the part of the cold start our code controls. Each handler the wirings declare is
imported in a new interpreter, ``--runs`` times, interleaved with two baselines for scale:
``import boto3`` alone, and the floor (``tools.coldstart_floor``: boto3, Powertools' Logger,
Tracer and Metrics, pydantic with one model), which every handler must load whatever our code
does. The report gives the median wall time of the import (and its CPU time, steadier on a busy
machine) and the ratios of both to each baseline.

The child process gets dummy values for every variable the wirings declare, dummy credentials
and an endpoint on a closed local port, and its sockets refuse to connect: importing a handler
must not call AWS, and a module that tries is reported. It also gets the variables Lambda sets
(``LAMBDA_TASK_ROOT``, ``AWS_LAMBDA_FUNCTION_NAME``): outside Lambda the X-Ray SDK builds two
botocore clients for its sampling rules at import, inside it does not, so without them every
figure would carry a cost no deployed function pays. One untimed import of each module
first fills the bytecode cache, as a warm deployment package would have it.

``--explain`` adds, per handler, the packages that take most of its import time (from
``python -X importtime``), which is where lazy imports could pay.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from local.paths import REPO_ROOT
from services.common.wiring import BUS_ENV_VAR, FunctionUrlTrigger, ServiceWiring

BOTO3 = "boto3"
FLOOR = "tools.coldstart_floor"
BASELINES = (BOTO3, FLOOR)
CLOSED_ENDPOINT = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing leaves
CHILD_TIMEOUT_SECONDS = 120

# Runs in the child: refuse every connection, then time the one import.
_CHILD = r"""
import importlib, json, socket, sys, time
attempts, error = [], None
def _refuse(self, address, *args):
    attempts.append(repr(address))
    raise OSError("network disabled while timing an import")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
wall, cpu = time.perf_counter(), time.process_time()
try:
    importlib.import_module(sys.argv[1])
except BaseException as exc:
    error = f"{type(exc).__name__}: {exc}"
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall_ms": wall * 1000, "cpu_ms": cpu * 1000, "connects": attempts,
                  "error": error}))
"""


class ImportFailedError(RuntimeError):
    """A module could not be imported in the benchmark's environment."""


@dataclass(frozen=True)
class Target:
    label: str  # "orders/api", or the baseline's module name
    module: str
    baseline: bool = False


@dataclass
class Timing:
    target: Target
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    connects: list[str] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)


def targets(services: tuple[ServiceWiring, ...]) -> list[Target]:
    found = [Target(name, name, baseline=True) for name in BASELINES]
    for wiring in services:
        for fn in wiring.functions:
            module = fn.handler.rsplit(".", 1)[0]
            found.append(Target(f"{wiring.name}/{fn.name}", module))
    return found


def child_environment(services: tuple[ServiceWiring, ...]) -> dict[str, str]:
    """The variables a handler's settings read, all dummies; no route to a real account."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "coldstart",
            "AWS_SECRET_ACCESS_KEY": "coldstart",
            "AWS_ENDPOINT_URL": CLOSED_ENDPOINT,
            "AWS_EC2_METADATA_DISABLED": "true",
            BUS_ENV_VAR: "coldstart-bus",
            "LAMBDA_TASK_ROOT": str(REPO_ROOT),
            "AWS_LAMBDA_FUNCTION_NAME": "coldstart",
        }
    )
    for wiring in services:
        names = [t.env_var for t in wiring.tables] + [q.env_var for q in wiring.queues]
        names += [t.env_var for t in wiring.topics] + [s.env_var for s in wiring.secrets]
        names += [m.env_var for m in wiring.state_machines]
        for name in names:
            if name:
                env[name] = f"coldstart-{name.lower()}"
        for setting in wiring.settings:
            if setting.env_var:
                env[setting.env_var] = setting.local_default or setting.default or "1"
        for fn in wiring.functions:
            if isinstance(fn.trigger, FunctionUrlTrigger) and fn.trigger.env_var:
                env[fn.trigger.env_var] = "https://coldstart.invalid"
            env.update(fn.environment)
    return env


def time_import(module: str, env: dict[str, str]) -> tuple[float, float, list[str]]:
    """Wall and CPU milliseconds of importing ``module`` in a fresh interpreter, and the
    connections it tried to open (all refused)."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter, our own module names
        [sys.executable, "-c", _CHILD, module],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise ImportFailedError(f"importing {module} failed: {last}")
    result = json.loads(lines[-1])
    connects = [str(c) for c in result["connects"]]
    if result["error"]:
        tried = f" after trying to connect to {connects[0]}" if connects else ""
        raise ImportFailedError(f"importing {module} failed{tried}: {result['error']}")
    return float(result["wall_ms"]), float(result["cpu_ms"]), connects


def measure(
    chosen: list[Target], env: dict[str, str], runs: int, progress: TextIO | None = None
) -> list[Timing]:
    timings = [Timing(t) for t in chosen]
    for timing in timings:  # untimed: fills the bytecode cache
        time_import(timing.target.module, env)
    for run in range(runs):
        # Interleaved, so a burst of load on the machine touches every module alike.
        for timing in timings:
            wall, cpu, connects = time_import(timing.target.module, env)
            timing.wall_ms.append(wall)
            timing.cpu_ms.append(cpu)
            timing.connects.extend(connects)
        if progress is not None:
            print(f"  run {run + 1}/{runs} done", file=progress, flush=True)
    return timings


def heaviest_packages(
    module: str, env: dict[str, str], *, runs: int = 3, top: int = 5
) -> list[tuple[str, float]]:
    """Import self time by top-level package (median ms over ``runs``), from
    ``python -X importtime``."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_SECONDS,
            check=False,
        )
        totals: defaultdict[str, float] = defaultdict(float)
        for line in completed.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _cumulative, name = (part.strip() for part in line[12:].split("|"))
            totals[name.split(".", 1)[0]] += int(self_us) / 1000
        for name, ms in totals.items():
            samples.setdefault(name, []).append(ms)
    medians = {
        name: statistics.median(values + [0.0] * (runs - len(values)))
        for name, values in samples.items()
    }
    return sorted(medians.items(), key=lambda item: item[1], reverse=True)[:top]


def report(timings: list[Timing], runs: int, out: TextIO) -> None:
    boto3 = next(t for t in timings if t.target.module == BOTO3)
    floor = next(t for t in timings if t.target.module == FLOOR)
    print(
        f"\nshop coldstart: import time in a fresh process, median of {runs} runs "
        f"({sys.implementation.name} {sys.version.split()[0]})",
        file=out,
    )
    width = max(len(t.target.label) for t in timings) + 2
    print(
        f"  {'':<{width}}{'module':<50}{'wall ms':>9}{'cpu ms':>9}"
        f"{'x boto3':>9}{'x floor':>9}{'cpu x boto3':>13}{'cpu x floor':>13}",
        file=out,
    )
    for timing in timings:
        label = "(baseline)" if timing.target.baseline else timing.target.label
        print(
            f"  {label:<{width}}{'import ' + timing.target.module:<50}"
            f"{timing.wall_median:>9.0f}{timing.cpu_median:>9.0f}"
            f"{timing.wall_median / boto3.wall_median:>9.2f}"
            f"{timing.wall_median / floor.wall_median:>9.2f}"
            f"{timing.cpu_median / boto3.cpu_median:>13.2f}"
            f"{timing.cpu_median / floor.cpu_median:>13.2f}",
            file=out,
        )
    handlers = [t for t in timings if not t.target.baseline]
    worst = max(handlers, key=lambda t: t.wall_median)
    spread = max(max(t.wall_ms) - min(t.wall_ms) for t in timings)
    print(
        f"  handlers: median {statistics.median(t.wall_median for t in handlers):.0f} ms; "
        f"slowest {worst.target.label} at {worst.wall_median / boto3.wall_median:.2f}x boto3, "
        f"{worst.wall_median / floor.wall_median:.2f}x the floor "
        f"(the floor itself is {floor.wall_median / boto3.wall_median:.2f}x boto3); "
        f"largest spread between runs of one module {spread:.0f} ms",
        file=out,
    )
    if reached := [t for t in timings if t.connects]:
        names = ", ".join(t.target.label for t in reached)
        print(f"  NETWORK: importing {names} tried to connect: {reached[0].connects[0]}", file=out)
    else:
        print("  no import tried to open a connection", file=out)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per module")
    parser.add_argument(
        "--explain", action="store_true", help="show the heaviest packages of each handler"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from local.services import ALL_SERVICES  # noqa: PLC0415

    if args.runs < 1:
        print("shop coldstart: --runs must be at least 1", file=sys.stderr)
        return 2
    env = child_environment(ALL_SERVICES)
    chosen = targets(ALL_SERVICES)
    print(f"timing {len(chosen)} modules x {args.runs} runs, one at a time...", file=out)
    try:
        timings = measure(chosen, env, args.runs, progress=out)
    except ImportFailedError as error:
        print(f"shop coldstart: {error}", file=sys.stderr)
        return 1
    report(timings, args.runs, out)
    if args.explain:
        print(
            "\nheaviest packages per handler (import self time in ms, median of 3 "
            "-X importtime runs):",
            file=out,
        )
        for timing in timings:
            if timing.target.baseline:
                continue
            heavy = heaviest_packages(timing.target.module, env)
            listed = ", ".join(f"{name} {ms:.0f}" for name, ms in heavy)
            print(f"  {timing.target.label:<26}{listed}", file=out)
    return 1 if any(t.connects for t in timings) else 0
