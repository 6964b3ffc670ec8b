"""Requests the in-process transport answers carry a SigV4 header without computing it.

botocore signs every request before ``before-send`` hands it to the transport: it
canonicalises the headers, hashes the body and chains five HMACs, about a tenth of the CPU a
call to moto costs in this process. moto reads from the ``Authorization`` header only the
credential scope (access key, region, service: which account and backend answer) and checks
the signature only when its IAM authentication is switched on
(``INITIAL_NO_AUTH_ACTION_COUNT``). So for a request the transport will answer, while that
check is off, the header is written as botocore writes it (same scope, same signed-header
list, same date and token headers) with a signature of zeros. Requests to anywhere else, and
every request while moto checks signatures, are signed as before.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.compat import get_current_datetime
from moto import settings

UNCOMPUTED_SIGNATURE = "0" * 64

_ORIGINAL: Callable[[SigV4Auth, Any], None] = SigV4Auth.add_auth
# What botocore's own ``add_auth`` does around the signature, and this one repeats.
_STEPS = (
    "request.context['timestamp'] = datetime_now.strftime(SIGV4_TIMESTAMP)",
    "self._modify_request_before_signing(request)",
    "self._inject_signature_to_request(request, signature)",
)


class SigningChangedError(RuntimeError):
    """botocore's SigV4 signing no longer looks as this module was written against."""


def install(answers: Callable[[str], bool]) -> None:
    """Sign as described for requests ``answers(url)`` says the transport answers."""
    if getattr(SigV4Auth.add_auth, "shop_in_process", False):
        return
    source = inspect.getsource(_ORIGINAL)
    if missing := [step for step in _STEPS if step not in source]:
        raise SigningChangedError(f"botocore's SigV4Auth.add_auth no longer does {missing}")

    def add_auth(self: SigV4Auth, request: Any) -> None:
        if (
            type(self) is not SigV4Auth  # S3's and other variants: as botocore does
            or self.credentials is None
            or not math.isinf(settings.INITIAL_NO_AUTH_ACTION_COUNT)
            or not answers(request.url)
        ):
            _ORIGINAL(self, request)
            return
        signer: Any = self  # botocore's own steps, private to it
        request.context["timestamp"] = get_current_datetime().strftime(SIGV4_TIMESTAMP)
        signer._modify_request_before_signing(request)
        signer._inject_signature_to_request(request, UNCOMPUTED_SIGNATURE)

    add_auth.shop_in_process = True  # type: ignore[attr-defined]
    SigV4Auth.add_auth = add_auth  # type: ignore[method-assign]
