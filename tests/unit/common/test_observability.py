"""The handlers' Tracer (services.common.observability): a sampled invocation sends X-Ray the
handler's subsegment and one per AWS call, as Powertools' default provider does; an unsampled
one sends nothing and never loads the SDK. Run in a fresh interpreter that looks like Lambda,
with the X-Ray daemon address pointing at a UDP socket the test reads."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from tests.support.paths import REPO_ROOT

_CHILD = r"""
import sys
import boto3
from services.common.observability import service_tracer

tracer = service_tracer("probe")
events = boto3.client("events", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")

@tracer.capture_lambda_handler
def lambda_handler(event, context):
    try:
        events.put_events(Entries=[{"Source": "probe", "DetailType": "x", "Detail": "{}"}])
    except Exception:
        pass  # nothing listens there: the call is still recorded
    return {"ok": True}

print(lambda_handler({}, None), "aws_xray_sdk" in sys.modules)
"""

TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793"


def run_invocation(sampled: bool) -> tuple[str, list[dict[str, object]]]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(("127.0.0.1", 0))
        daemon.settimeout(0.5)
        port = daemon.getsockname()[1]
        env = {
            "PYTHONPATH": str(REPO_ROOT),
            "PATH": "/usr/bin:/bin",
            "LAMBDA_TASK_ROOT": str(REPO_ROOT),
            "AWS_LAMBDA_FUNCTION_NAME": "probe",
            "AWS_ACCESS_KEY_ID": "probe",
            "AWS_SECRET_ACCESS_KEY": "probe",
            "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{port}",
            "AWS_RETRY_MODE": "standard",
            "AWS_MAX_ATTEMPTS": "1",
            "_X_AMZN_TRACE_ID": (
                f"Root={TRACE_ID};Parent=53995c3f42cd8ad8;Sampled={1 if sampled else 0}"
            ),
        }
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        sent: list[dict[str, object]] = []
        try:
            while True:
                packet = daemon.recv(65536).decode()
                sent.append(json.loads(packet.split("\n", 1)[1]))  # header line, then segment
        except TimeoutError:
            pass
    return completed.stdout.strip(), sent


def test_a_sampled_invocation_records_the_handler_and_its_aws_calls() -> None:
    printed, sent = run_invocation(sampled=True)

    assert printed == "{'ok': True} True"
    names = {str(s["name"]) for s in sent}
    assert "## lambda_handler" in names
    assert "events" in names  # botocore is patched: the PutEvents call is its own subsegment
    assert all(s["trace_id"] == TRACE_ID for s in sent)
    handler = next(s for s in sent if s["name"] == "## lambda_handler")
    assert handler["annotations"] == {"ColdStart": True, "Service": "probe"}


def test_an_unsampled_invocation_sends_nothing_and_never_loads_the_sdk() -> None:
    printed, sent = run_invocation(sampled=False)

    assert printed == "{'ok': True} False"
    assert sent == []
