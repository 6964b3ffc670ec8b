"""The bare state machine on moto: what the shop's workflow costs without any service.

The same ASL (rendered by the same provisioner from the workflow's wiring, with the same
approval window and feedback delay), the same number of executions, the same mix and the same
closed loop of ``concurrency`` clients, but no handlers, no bus consumers, no HTTP: each
client starts an execution, waits for its token message on the token queue, answers it
directly with SendTaskSuccess / SendTaskFailure as the mix says and then waits for its
execution to end, as the shop's clients follow an answered order to its last email. A client
told to let its execution time out leaves it once the token has arrived and takes the next,
as the shop's client leaves an order once the owner's message has arrived: the approval
window is a wait, not work, for both. Throughput counts every execution that ended, from the
first start to the last stop, as the shop's counts every order from the first POST to the
last email: both include the last timeouts' approval window and the feedback delay.

``shop bench`` runs it after the shop's stack has stopped, in a process of its own
(``run_in_subprocess``: a fresh interpreter and moto server, nothing left of the shop's run);
``python -m tools.bench.baseline`` is that process and prints the figures as JSON. Both runs
go through moto, so the ratio measures what the shop's services add to the bare workflow on
this machine, not what AWS would do.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local.moto_server import MotoServer
from local.paths import REPO_ROOT
from local.provision import LocalNames, Provisioner
from services.workflow.domain.relay import REJECTED_ERROR
from services.workflow.wiring import STATE_MACHINE, TOKENS_QUEUE, WIRING
from tools.bench.config import Decision, Mix
from tools.bench.observe import POLL_SECONDS
from tools.bench.stats import throughput

REGION = "us-east-1"
ORDER = {
    "customer": {"name": "Bench Customer", "email": "bench@example.com"},
    "items": [{"sku": "MUG-01", "name": "Enamel mug", "quantity": 2, "unit_price": "12.50"}],
    "total": "25.00",
    "currency": "EUR",
}


class TokenInbox:
    """One reader of the token queue handing each token to the client waiting for it."""

    def __init__(self, sqs: Any, url: str) -> None:
        self._sqs = sqs
        self._url = url
        self._tokens: dict[str, str] = {}
        self._arrived = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="baseline-tokens", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            messages = self._sqs.receive_message(
                QueueUrl=self._url, MaxNumberOfMessages=10, WaitTimeSeconds=1
            ).get("Messages", [])
            for message in messages:
                body = json.loads(message["Body"])
                with self._arrived:
                    self._tokens[body["order_id"]] = body["task_token"]
                    self._arrived.notify_all()
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])

    def wait(self, order_id: str, timeout: float) -> str | None:
        with self._arrived:
            self._arrived.wait_for(lambda: order_id in self._tokens, timeout)
            return self._tokens.get(order_id)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def run(
    executions: int,
    *,
    concurrency: int,
    mix: Mix,
    seed: int,
    approval_window_seconds: int,
    feedback_delay_seconds: int,
) -> dict[str, Any]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = MotoServer()
    saved = {var: os.environ.get(var) for var in (*server.client_environment(), "MOTO_PORT")}
    server.start()
    os.environ.update(server.client_environment())
    try:
        return _measure(
            executions,
            concurrency,
            mix.assign(executions, random.Random(seed)),  # noqa: S311 - a repeatable mix
            approval_window_seconds,
            feedback_delay_seconds,
        )
    finally:
        server.stop()
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


def _retrying(call: Callable[[], Any], attempts: int = 5) -> Any:
    """moto's Step Functions sometimes answers 500 while another execution is starting
    (it reads every execution's status on each SendTask*): try again, as an SDK would."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status < 500 or attempt == attempts:
                raise
            time.sleep(0.1 * attempt)
    return None


def _measure(
    executions: int,
    concurrency: int,
    decisions: list[Decision],
    approval_window_seconds: int,
    feedback_delay_seconds: int,
) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    names = LocalNames(prefix=f"baseline-{run_id}", bus=f"baseline-{run_id}")
    provisioned = Provisioner(
        names,
        {
            "approval_window_seconds": str(approval_window_seconds),
            "feedback_delay_seconds": str(feedback_delay_seconds),
        },
        lambda service: boto3.client(service, region_name=REGION),  # type: ignore[call-overload]
    ).provision(WIRING)
    sfn = boto3.client("stepfunctions", region_name=REGION)
    arn = provisioned.state_machine_arns[STATE_MACHINE]
    inbox = TokenInbox(
        boto3.client("sqs", region_name=REGION), provisioned.queue_urls[TOKENS_QUEUE]
    )

    driver_errors: list[str] = []
    arn_prefix = arn.replace(":stateMachine:", ":execution:")
    end_deadline_seconds = approval_window_seconds + feedback_delay_seconds + 120

    def journey(index: int) -> None:
        order_id = f"ord_{run_id}{index:06d}"
        try:
            _retrying(
                lambda: sfn.start_execution(
                    stateMachineArn=arn,
                    name=order_id,
                    input=json.dumps({"order": {"order_id": order_id, **ORDER}}),
                )
            )
            token = inbox.wait(order_id, approval_window_seconds + 30)
            decision = decisions[index]
            if token is not None and decision == "timeout":
                return  # the window runs out without this client, as the shop's does
            if token is not None and decision == "approve":
                _retrying(lambda: sfn.send_task_success(taskToken=token, output="{}"))
            elif token is not None and decision == "reject":
                _retrying(
                    lambda: sfn.send_task_failure(taskToken=token, error=REJECTED_ERROR, cause="{}")
                )
            wait_until_ended(sfn, f"{arn_prefix}:{order_id}", end_deadline_seconds)
        except ClientError as error:
            driver_errors.append(error.response.get("Error", {}).get("Code", "ClientError"))

    inbox.start()
    try:
        started = time.time()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(journey, range(executions)))
        wait_until_none_running(sfn, arn, end_deadline_seconds)  # the timeouts left behind
    finally:
        inbox.stop()
    ended = [
        e
        for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=arn)
        for e in page["executions"]
    ]
    stops = [e["stopDate"].timestamp() for e in ended if e.get("stopDate")]
    statuses = dict(Counter(e["status"] for e in ended))
    last = max(stops) if stops else started
    return {
        "executions": executions,
        "ended": len(stops),
        "statuses": statuses,
        "driver_errors": len(driver_errors),
        "wall_seconds": round(last - started, 3),
        "throughput_per_second": round(throughput(len(stops), started, last), 3),
        "process": "own",
    }


def wait_until_ended(sfn: Any, execution_arn: str, timeout_seconds: float) -> str:
    """The execution's final status, polled as the shop's clients poll the mailbox."""
    deadline = time.monotonic() + timeout_seconds
    status = "RUNNING"
    while time.monotonic() < deadline:
        status = str(sfn.describe_execution(executionArn=execution_arn)["status"])
        if status != "RUNNING":
            return status
        time.sleep(POLL_SECONDS)
    return status


def wait_until_none_running(sfn: Any, state_machine_arn: str, timeout_seconds: float) -> None:
    """Until no execution of the state machine is running, or ``timeout_seconds`` passed."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        running = sfn.list_executions(
            stateMachineArn=state_machine_arn, statusFilter="RUNNING", maxResults=1
        )["executions"]
        if not running:
            return
        time.sleep(POLL_SECONDS)


def command(
    executions: int,
    *,
    concurrency: int,
    mix: Mix,
    seed: int,
    approval_window_seconds: int,
    feedback_delay_seconds: int,
) -> list[str]:
    """The command line of the baseline's own process."""
    return [
        sys.executable,
        "-m",
        "tools.bench.baseline",
        f"--executions={executions}",
        f"--concurrency={concurrency}",
        f"--mix={mix}",
        f"--seed={seed}",
        f"--approval-window={approval_window_seconds}",
        f"--feedback-delay={feedback_delay_seconds}",
    ]


def run_in_subprocess(
    executions: int,
    *,
    concurrency: int,
    mix: Mix,
    seed: int,
    approval_window_seconds: int,
    feedback_delay_seconds: int,
) -> dict[str, Any]:
    """``run`` in a fresh interpreter: no moto backends, threads or imports of the shop's run."""
    argv = command(
        executions,
        concurrency=concurrency,
        mix=mix,
        seed=seed,
        approval_window_seconds=approval_window_seconds,
        feedback_delay_seconds=feedback_delay_seconds,
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        argv,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=executions * (approval_window_seconds + feedback_delay_seconds + 30) + 300,
        check=False,
    )
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the baseline process failed ({completed.returncode}): {last}")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.baseline", description=__doc__)
    parser.add_argument("--executions", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--mix", type=Mix.parse, default=Mix())
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--approval-window", type=int, default=10)
    parser.add_argument("--feedback-delay", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    figures = run(
        args.executions,
        concurrency=args.concurrency,
        mix=args.mix,
        seed=args.seed,
        approval_window_seconds=args.approval_window,
        feedback_delay_seconds=args.feedback_delay,
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
