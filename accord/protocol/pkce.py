"""Proof Key for Code Exchange, RFC 7636."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from accord.google import wording
from accord.protocol.errors import InvalidGrant, InvalidRequest

METHODS = ("plain", "S256")  # in the order discovery lists them
# RFC 7636 §4.1 and §4.2: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
_SHAPE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def validate_challenge(challenge: str | None, method: str | None) -> tuple[str | None, str | None]:
    """Check the authorization request's pair; ``plain`` when a challenge has no method."""
    if challenge is None:
        if method is not None:
            raise InvalidRequest("Missing required parameter: code_challenge")
        return None, None
    method = method or "plain"  # RFC 7636 §4.3; Google's libraries rely on the same default.
    if method not in METHODS:
        raise InvalidRequest(f"Invalid code_challenge_method: {method}")
    if not _SHAPE.match(challenge):
        raise InvalidRequest("Invalid code_challenge.")
    return challenge, method


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify(challenge: str | None, method: str | None, verifier: str | None) -> None:
    """RFC 7636 §4.6, with Google's wording of each failure."""
    if challenge is None:
        if verifier is not None:
            # Google refuses a verifier for a code that was issued without a challenge.
            raise InvalidRequest(wording.VERIFIER_NOT_NEEDED)
        return
    if verifier is None:
        raise InvalidGrant(wording.MISSING_VERIFIER)
    if not _SHAPE.match(verifier):
        raise InvalidGrant(wording.INVALID_VERIFIER)
    expected = s256(verifier) if method == "S256" else verifier
    if not hmac.compare_digest(expected.encode("ascii"), challenge.encode("ascii")):
        raise InvalidGrant(wording.INVALID_VERIFIER)
