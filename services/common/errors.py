"""What is wrong with some input, per field, in words people can act on and logs can keep.

pydantic's own messages quote the input; the input can be a customer's email address or a
task token. These keep where (``loc``) and what (``msg``), never the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One ``{"loc", "type", "msg"}`` entry per problem (the shape of an API's 422 body)."""
    return [{"loc": list(e["loc"]), "type": e["type"], "msg": e.get("msg", "")} for e in errors]


def field_problems(error: ValidationError, *, root: str = "(root)") -> str:
    """``"items.0.quantity: Input should be greater than 0; ..."``; ``root`` names a problem
    with the whole input."""
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or root}: {e['msg']}"
        for e in error.errors(include_url=False, include_input=False, include_context=False)
    )
