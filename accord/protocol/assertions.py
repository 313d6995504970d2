"""A service account's signed assertion (RFC 7523 §3; reference §1.15): read, then checked
against the account's keys, the accepted audiences and the clock.

The checks run in this order, each with Google's answer:

1. the assertion is a JWS in compact form whose header and claims are JSON objects,
   else ``invalid_grant`` "Invalid JWT Signature." (nothing in it can be trusted);
2. ``iss`` names an account that exists and is not deleted, else "Invalid grant: account
   not found";
3. the header's ``alg`` is RS256 and the signature verifies with the enabled key the
   ``kid`` names (without a ``kid``: any enabled key of the account), else "Invalid JWT
   Signature." (``alg: none``, HS256 keyed with the public key, another account's key, a
   disabled or deleted key all end here);
4. the account is not disabled, else "Robot is disabled." (observed at Google);
5. ``aud`` is one of ``Context.assertion_audiences``, else "Invalid JWT: Failed audience
   check.";
6. ``iat`` and ``exp`` are numbers, ``exp - iat`` is at most an hour, ``iat`` is not
   ahead of the clock and ``exp`` not behind it by more than ``SKEW``, else "Invalid JWT:
   Token must be a short-lived token (60 minutes)..." [U: the skew is Accord's choice].
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from accord.google import wording
from accord.protocol.context import Context
from accord.protocol.errors import InvalidGrant
from accord.protocol.messages import ServiceAccount, ServiceAccountKey

MAX_LIFETIME = 3600  # "a maximum of 1 hour after the issued time"
SKEW = 300  # seconds of clock difference tolerated on iat and exp [U]


@dataclass(frozen=True)
class Assertion:
    """A verified assertion: the account that signed it, with the key, and its claims."""

    account: ServiceAccount
    key_id: str
    claims: Mapping[str, object]


def _b64(segment: str) -> bytes:
    if not segment or "=" in segment:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _object(segment: str) -> dict[str, object]:
    value = json.loads(_b64(segment))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


@dataclass(frozen=True)
class Jws:
    """A JWS in compact serialization (RFC 7515 §7.1), read but not verified."""

    header: dict[str, object]
    claims: dict[str, object]
    signing_input: bytes
    signature: bytes


def read(token: str) -> Jws:
    """The parts of ``token``; ``InvalidGrant`` when it is not a JWS of two JSON objects."""
    parts = token.split(".")
    try:
        if len(parts) != 3:
            raise ValueError("not three segments")
        header, claims = _object(parts[0]), _object(parts[1])
        signature = _b64(parts[2])
    except (ValueError, binascii.Error, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise InvalidGrant(wording.JWT_SIGNATURE, detail="malformed assertion") from None
    return Jws(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


@lru_cache(maxsize=4096)
def _public_key(pem: str) -> rsa.RSAPublicKey | None:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    return key if isinstance(key, rsa.RSAPublicKey) else None


def signed_by(jws: Jws, keys: list[ServiceAccountKey]) -> ServiceAccountKey | None:
    """The enabled key among ``keys`` whose RS256 signature ``jws`` carries, or None. Only
    RS256 is accepted (RFC 8725 §3.1: the algorithm is the verifier's, not the token's)."""
    if jws.header.get("alg") != "RS256":
        return None
    kid = jws.header.get("kid")
    for key in keys:
        if key.disabled or (kid is not None and key.key_id != kid):
            continue
        public = _public_key(key.public_key)
        if public is None:
            continue
        try:
            public.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            continue
        return key
    return None


def _timely(claims: Mapping[str, object], now: int) -> bool:
    iat, exp = claims.get("iat"), claims.get("exp")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (iat, exp)):
        return False
    assert isinstance(iat, int | float) and isinstance(exp, int | float)
    return iat <= exp <= iat + MAX_LIFETIME and iat <= now + SKEW and exp > now - SKEW


def verify(ctx: Context, token: str) -> Assertion:
    """The JWT-bearer grant's assertion, checked in the order of this module's docstring."""
    jws = read(token)
    now = ctx.clock.now()
    iss = jws.claims.get("iss")
    account = ctx.accounts().service_account(iss) if isinstance(iss, str) and iss else None
    if account is None or account.deleted:
        raise InvalidGrant(wording.ACCOUNT_NOT_FOUND, detail=f"iss {iss!r}")
    key = signed_by(jws, ctx.accounts().public_keys(account.pk, now))
    if key is None:
        raise InvalidGrant(wording.JWT_SIGNATURE, detail=f"kid {jws.header.get('kid')!r}")
    if account.disabled:
        raise InvalidGrant(wording.ACCOUNT_DISABLED, detail=account.email)
    aud = jws.claims.get("aud")
    if not isinstance(aud, str) or aud not in ctx.assertion_audiences:
        raise InvalidGrant(wording.JWT_AUDIENCE, detail=f"aud {aud!r}")
    if not _timely(jws.claims, now):
        raise InvalidGrant(wording.JWT_TIMEFRAME)
    return Assertion(account, key.key_id, jws.claims)
