"""Renders an ASL file's placeholders: one renderer for tests, local stack, CDK and docs.

Two kinds, both keeping the file valid JSON that any tool can read:

- ``${Name}`` anywhere in a string is replaced by text (a queue URL, a bus name). CDK may leave
  these to CloudFormation as ``definitionSubstitutions`` when their values are tokens.
- ``"${Name:number}"``, a whole JSON string, is replaced quotes and all by an integer literal
  (a duration), so ``TimeoutSeconds`` and ``Seconds`` get numbers without a state that
  converts strings at run time. These are rendered at synthesis, never by CloudFormation
  (its substitution would leave a string).

Rendering refuses to leave a placeholder unresolved, to accept a value nobody asked for, or a
number that is not an integer, so a typo fails loudly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
NUMBER_PLACEHOLDER = re.compile(r'"\$\{([A-Za-z0-9_]+):number\}"')
INTEGER = re.compile(r"-?[0-9]+")


def text_placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def number_placeholders(text: str) -> set[str]:
    return set(NUMBER_PLACEHOLDER.findall(text))


def placeholders(text: str) -> set[str]:
    return text_placeholders(text) | number_placeholders(text)


def render_numbers(text: str, values: dict[str, str]) -> str:
    """``text`` with every number placeholder replaced; text placeholders left as they are.
    ``values`` must name exactly the number placeholders, each an integer."""
    wanted = number_placeholders(text)
    if missing := wanted - values.keys():
        raise KeyError(f"no value for {sorted(missing)}")
    if unknown := values.keys() - wanted:
        raise KeyError(f"{sorted(unknown)} are not number placeholders")
    if bad := sorted(name for name in wanted if not INTEGER.fullmatch(values[name].strip())):
        raise ValueError(f"{bad} must be integers, got {[values[name] for name in bad]}")
    return NUMBER_PLACEHOLDER.sub(lambda m: str(int(values[m.group(1)])), text)


def render_asl(path: Path, values: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    wanted = placeholders(text)
    if missing := wanted - values.keys():
        raise KeyError(f"{path.name}: no value for {sorted(missing)}")
    if unknown := values.keys() - wanted:
        raise KeyError(f"{path.name}: {sorted(unknown)} are not placeholders of this file")
    numbers = number_placeholders(text)
    try:
        text = render_numbers(text, {k: v for k, v in values.items() if k in numbers})
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from error
    rendered = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
    json.loads(rendered)  # a substitution must not break the document
    return rendered
