"""The emulator's address for a deployed endpoint's AWS URL.

The stacks print AWS addresses (``https://<id>.execute-api.<region>.amazonaws.com/``, a
Function URL ``https://<id>.lambda-url.<region>.on.aws/``), and the owner's links carry the
Function URL's. The emulator serves both on its one port under path prefixes; only the host
part changes, so a link is followed exactly as a browser would follow it.
"""

from __future__ import annotations

import re

HTTP_API = re.compile(
    r"^https://(?P<id>[a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com/(?P<rest>.*)$"
)
FUNCTION_URL = re.compile(
    r"^https://(?P<id>[a-z0-9]+)\.lambda-url\.[a-z0-9-]+\.on\.aws/(?P<rest>.*)$"
)


def on_emulator(url: str, endpoint: str) -> str:
    """``url`` (an HTTP API's default stage or a Function URL) as the emulator serves it."""
    if match := HTTP_API.match(url):
        return f"{endpoint}/_aws/execute-api/{match['id']}/$default/{match['rest']}"
    if match := FUNCTION_URL.match(url):
        return f"{endpoint}/_aws/lambda-url/{match['id']}/{match['rest']}"
    raise ValueError("not an HTTP API or Function URL address the emulator serves")
