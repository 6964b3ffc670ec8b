"""Body size and nesting, measured before anything parses the body."""

from __future__ import annotations

import base64
import json

import pytest

from services.common.request_limits import BodyLimits, body_problem, json_depth_exceeds

LIMITS = BodyLimits(max_bytes=1024, max_depth=4)


@pytest.mark.parametrize(
    ("text", "deeper"),
    [
        ("[[[[]]]]", False),
        ("[[[[[]]]]]", True),
        ('{"a": {"b": [{"c": 1}]}}', False),
        ('{"a": {"b": [{"c": [1]}]}}', True),
        ('["[[[[[[[[[[", "]]]]", "\\"[[[[[["]', False),  # brackets in strings do not nest
        ("[" * 50_000 + "]" * 50_000, True),  # no recursion, however deep
        ("]]]]][[[[", False),  # unbalanced text is the parser's to refuse
    ],
)
def test_depth_is_measured_without_parsing(text: str, deeper: bool) -> None:
    assert json_depth_exceeds(text, 4) is deeper


def test_a_body_within_both_limits_may_be_parsed() -> None:
    body = json.dumps({"items": [{"sku": "shoes", "quantity": 5}]})

    assert body_problem({"body": body}, LIMITS) is None
    assert body_problem({}, LIMITS) is None


@pytest.mark.parametrize(
    ("event", "says"),
    [
        ({"body": "x" * 1025}, "larger than 1024 bytes"),
        ({"body": "é" * 600}, "larger than 1024 bytes"),  # bytes, not characters
        ({"body": "[" * 5 + "]" * 5}, "deeper than 4 levels"),
        (
            {"body": base64.b64encode(b"[[[[[]]]]]").decode(), "isBase64Encoded": True},
            "deeper than 4 levels",
        ),
        (
            {"body": base64.b64encode(b"x" * 2000).decode(), "isBase64Encoded": True},
            "larger than 1024 bytes",
        ),
        ({"body": "not base64!", "isBase64Encoded": True}, "not valid base64"),
    ],
)
def test_a_body_past_a_limit_is_refused_with_the_reason(
    event: dict[str, object], says: str
) -> None:
    problem = body_problem(event, LIMITS)

    assert problem is not None
    assert says in problem
