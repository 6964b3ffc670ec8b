"""The workflow's state machine definition: one file, one loader.

Tests, the local stack and the docs render ``statemachine.asl.json`` through
``load_definition``; CDK renders the same file's numbers and hands the rest to
``definition_substitutions`` (see ``infra/build/statemachine.py``). Durations are number
placeholders (``"${Name:number}"``, see ``services.common.asl``) rendered as integers before
deployment, so the file stays valid JSON and no state converts them at run time.
"""

from __future__ import annotations

from pathlib import Path

from services.common.asl import placeholders, render_asl

DEFINITION_FILE = Path(__file__).with_name("statemachine.asl.json")

APPROVAL_WINDOW_SECONDS = "ApprovalWindowSeconds"
FEEDBACK_DELAY_SECONDS = "FeedbackDelaySeconds"
TOKEN_QUEUE_URL = "TokenQueueUrl"  # noqa: S105 (a placeholder name, not a secret)
EVENT_BUS_NAME = "EventBusName"


def load_definition(substitutions: dict[str, str]) -> str:
    """The ASL document with every ``${...}`` replaced; raises on a missing or unknown one."""
    return render_asl(DEFINITION_FILE, substitutions)


def definition_placeholders() -> set[str]:
    """The ``${...}`` names the definition expects."""
    return placeholders(DEFINITION_FILE.read_text(encoding="utf-8"))
