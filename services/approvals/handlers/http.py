"""HTTP plumbing for the decision page: safe HTML responses and the confirmation form."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import Response
from pydantic import TypeAdapter, ValidationError

from events.models import Comment
from services.approvals.handlers.pages import Page
from services.approvals.links import LINK_FIELDS

_MAX_FORM_FIELDS = 10
_LINK_FIELDS = LINK_FIELDS
_COMMENT = TypeAdapter(Comment)

SECURITY_HEADERS = {
    # No scripts, no external anything; the form may only post back here.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    # The URL carries a signature: never hand it to another site.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def html_response(page: Page) -> Response[str]:
    return Response(
        status_code=page.status_code,
        content_type="text/html; charset=utf-8",
        body=page.html,
        headers=SECURITY_HEADERS,
    )


@dataclass(frozen=True)
class DecisionForm:
    link: dict[str, str]  # decision, expires, sig: checked like the link's query string
    comment: str | None


def read_form(body: str | None, is_base64_encoded: bool) -> DecisionForm | None:
    """The confirmation form's fields, or None when the body is not a form we sent."""
    try:
        text = base64.b64decode(body or "", validate=True).decode() if is_base64_encoded else body
        pairs = parse_qsl(
            text or "",
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=_MAX_FORM_FIELDS,
        )
    except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
        return None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            return None  # one value per field, or the request is not ours
        fields[name] = value
    # A textarea sends its line breaks as CR LF: a comment typed on several lines is kept on
    # one. Any other control or separator character is refused with the contract's rules.
    typed = fields.get("comment", "").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    comment = typed.strip() or None
    if comment is not None:
        try:
            # The contract's rules for text people type: a comment that breaks them could
            # never be published, so the form is refused before anything is recorded.
            comment = _COMMENT.validate_python(comment)
        except ValidationError:
            return None
    return DecisionForm(
        link={name: fields[name] for name in _LINK_FIELDS if name in fields}, comment=comment
    )
