"""Cognito's user pools answer one call at a time, as the service never fails a sign-in
because someone else signed up.

moto keeps a pool's users in a dict, and a pool that signs in by e-mail finds the user by
walking that dict (``CognitoIdpUserPool._get_user``) while nothing stops another thread from
adding a user to it. Two customers signing up and in at the same moment on the local stack
failed with ``RuntimeError: OrderedDict mutated during iteration`` (a 500 that Cognito never
answers). One re-entrant lock around every public method of moto's Cognito IdP backend makes
each call atomic. Sign-ins and sign-ups are a few per order, so the lock costs nothing that
shows.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool

from local.moto_patches.errors import MotoPatchError, require_source
from local.moto_patches.serialising import is_serialised, serialised

_lock = threading.RLock()
# Calls that must be covered: the sign-in that walks the users and the sign-up that adds one.
_REQUIRED = ("initiate_auth", "admin_initiate_auth", "admin_create_user", "sign_up")


def _public_methods() -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in vars(CognitoIdpBackend).items()
        if not name.startswith("_") and inspect.isfunction(member)
    }


def apply() -> None:
    methods = _public_methods()
    if missing := [name for name in _REQUIRED if name not in methods]:
        raise MotoPatchError(f"moto's CognitoIdpBackend no longer has {missing}")
    require_source(CognitoIdpUserPool._get_user, "for user in self.users.values()")
    for name, method in methods.items():
        if not is_serialised(method):
            setattr(CognitoIdpBackend, name, serialised(method, _lock))
