"""Settings shared by every function. Each service extends this with its own fields.

A plain pydantic model filled from ``os.environ`` once: each field reads the variable of the
same name in upper case (``event_bus_name`` from ``EVENT_BUS_NAME``). pydantic-settings would
do the same but costs a handler about a tenth of a second more at cold start (it imports
argparse and its many sources), for features no function uses.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Self

from pydantic import BaseModel, ConfigDict


class MissingSettingError(KeyError):
    """A required setting's environment variable is not set."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class ServiceSettings(BaseModel):
    """Read once from the environment at start-up; a missing one fails with its name."""

    # Built when a function reads its settings, not when a module declaring several is
    # imported: a function never pays for (or imports email-validator for) another's.
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    event_bus_name: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """The settings from ``environ`` (default: the process environment). A missing
        variable raises ``MissingSettingError`` naming it; an invalid one pydantic's
        ``ValidationError`` naming the field."""
        source = os.environ if environ is None else environ
        fields = cls.model_fields
        if missing := [
            n.upper() for n, f in fields.items() if f.is_required() and n.upper() not in source
        ]:
            raise MissingSettingError(
                f"{cls.__name__}: no environment variable {', '.join(missing)}"
            )
        return cls.model_validate({n: source[n.upper()] for n in fields if n.upper() in source})
