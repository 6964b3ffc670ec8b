"""Settings of the workflow's functions, read once from the environment at start-up.

Each function reads only what it uses, so a missing variable fails the function that needs
it, by name. The durations (approval window, feedback delay) are not here: they are
substitutions of the state machine definition (see ``wiring.py``), and the relay reads the
window from each token message.
"""

from __future__ import annotations

from services.common.settings import ServiceSettings


class StarterSettings(ServiceSettings):
    workflow_state_machine_arn: str


class RelaySettings(ServiceSettings):
    workflow_tokens_table_name: str
