"""Password hashing with argon2id (RFC 9106), through argon2-cffi's defaults.

``ACCORD_PASSWORD_PROFILE=test`` picks a cheap cost for test suites that create thousands
of accounts; ``accord.settings`` refuses it unless the issuer is on localhost. Hashes carry
their own parameters, so verification follows whatever made the hash.
"""

from __future__ import annotations

import os
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PROFILES = {
    "default": PasswordHasher(),
    "test": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
PROFILE = os.environ.get("ACCORD_PASSWORD_PROFILE", "default")
_HASHER = PROFILES[PROFILE] if PROFILE in PROFILES else PROFILES["default"]


@cache
def _dummy() -> str:
    """Verified against when the account does not exist, so that an unknown email
    costs the same time as a wrong password."""
    return _HASHER.hash("accord-no-such-user")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _dummy(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
