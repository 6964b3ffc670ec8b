"""The approvals service's Jinja2 templates (``templates/``), for the owner's message and pages.

HTML is autoescaped, the plain-text message is not: there, text someone else wrote goes
through ``quoted``. Dates and line totals go through the filters below so the message and the
pages show them the same way.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from events.models import LineItem

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _line_total(item: LineItem) -> str:
    return str(Decimal(item.unit_price) * item.quantity)


def _quoted(text: str, indent: str = "") -> str:
    """Text someone else wrote, every line of it marked "> " so it cannot pass for ours.

    The contract already refuses line breaks in such text; quoting each line (by every
    separator ``str.splitlines`` knows) holds even for text that slipped past it.
    """
    return "\n".join(f"{indent}> {line}" for line in text.splitlines() or [""])


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = _when
    env.filters["line_total"] = _line_total
    env.filters["quoted"] = _quoted
    return env
