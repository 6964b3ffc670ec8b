"""Our code stands on its own: it imports nothing of the shop's, only what it publishes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CODE = Path(__file__).resolve().parents[1]
SHOP_PACKAGES = {"services", "events", "local", "tools", "infra", "tests"}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*CODE.glob("loyalty/*.py"), *CODE.glob("loyalty_stack/*.py")]),
    ids=lambda p: str(p.relative_to(CODE)),
)
def test_no_import_of_the_shops_code(path: Path) -> None:
    assert not imported_packages(path) & SHOP_PACKAGES
