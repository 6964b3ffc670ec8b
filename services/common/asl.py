"""Renders an ASL file's ``${Name}`` placeholders: one renderer for tests, local stack and docs.

CDK passes the same values as ``definitionSubstitutions``; rendering here refuses to leave a
placeholder unresolved or to accept a value nobody asked for, so a typo fails loudly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render_asl(path: Path, values: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    wanted = placeholders(text)
    if missing := wanted - values.keys():
        raise KeyError(f"{path.name}: no value for {sorted(missing)}")
    if unknown := values.keys() - wanted:
        raise KeyError(f"{path.name}: {sorted(unknown)} are not placeholders of this file")
    rendered = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
    json.loads(rendered)  # a substitution must not break the document
    return rendered
