"""Writes the orders API's OpenAPI document: ``python -m services.orders.openapi``.

The document is generated from the handler's routes and models and committed as
``services/orders/openapi.json``; a test fails when the committed copy is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from services.orders.handlers.api import app
from services.orders.http.responses import SECURITY_SCHEMES

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
TITLE = "shop orders API"
VERSION = "1.0.0"
DESCRIPTION = (
    "A signed-in customer places orders and follows their own. Orders move forward only: "
    "placed, awaiting_approval, shipped, feedback_requested; a cancelled order is deleted. "
    "Every call carries the customer's Cognito id token: `Authorization: Bearer <id token>`."
)


def render() -> str:
    """The document as committed: stable key order, two-space indent, trailing newline."""
    document = json.loads(
        app.get_openapi_json_schema(
            title=TITLE,
            version=VERSION,
            description=DESCRIPTION,
            security_schemes=SECURITY_SCHEMES,
        )
    )
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main() -> None:
    OPENAPI_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {OPENAPI_PATH}")


if __name__ == "__main__":
    main()
