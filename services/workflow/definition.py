"""The workflow's state machine definition: one file, one loader.

Tests, the local stack and the docs render ``statemachine.asl.json`` through
``load_definition``; CDK hands the same file and substitutions to
``DefinitionBody.from_file`` / ``definition_substitutions``. Durations are substituted as
strings and turned into numbers inside the state machine (its first state), so the file
stays valid JSON that any tool can read.
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
