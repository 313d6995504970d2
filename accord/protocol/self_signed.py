"""Self-signed JWTs of service accounts as bearer tokens (reference §1.17, AIP-4111).

A service account may skip the token endpoint and send the APIs a JWT it signed itself
with one of its enabled keys (user- or system-managed): header ``alg`` RS256 and ``kid``
the key's id; claims ``iss`` = ``sub`` = its email, ``iat`` and ``exp`` at most an hour
apart, and ``aud`` the API's service URL or a ``scope`` claim (google-auth sends ``scope``
when the credentials have scopes, as googleapiclient's always do; ``aud`` otherwise).
Admission yields the same :class:`TokenSubject` an access token of the account would:
its project, its principal, the claim's scopes (for an ``aud`` JWT, every scope of the API).
Any failure is ``InvalidToken``, answered as a bad access token is.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection

import jwt

from accord.google import wording
from accord.protocol.context import Context
from accord.protocol.errors import ExpiredToken, InvalidToken
from accord.protocol.messages import AccessType, ServiceAccount, TokenSubject

MAX_LIFETIME = 3600  # exp - iat, seconds
SKEW = 60  # seconds of clock difference tolerated on iat and exp


def looks_like_jwt(token: str) -> bool:
    """A compact JWS (three base64url parts, a JSON header): never one of Accord's sealed
    access tokens, which carry their own prefix."""
    return token.count(".") == 2 and token.startswith("eyJ")


def _refuse(detail: str) -> InvalidToken:
    return InvalidToken(wording.INVALID_VALUE, detail=detail)


def _header(token: str) -> dict[str, object]:
    try:
        head = token.split(".", 1)[0]
        value = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except ValueError:
        raise _refuse("self-signed JWT: unreadable header") from None
    if not isinstance(value, dict):
        raise _refuse("self-signed JWT: unreadable header")
    return value


def _unverified_claims(token: str) -> dict[str, object]:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise _refuse("self-signed JWT: unreadable claims") from None
    return dict(claims)


def _account(ctx: Context, claims: dict[str, object]) -> ServiceAccount:
    iss, sub = claims.get("iss"), claims.get("sub")
    if not isinstance(iss, str) or iss != sub:
        raise _refuse("self-signed JWT: iss and sub must both be the account's email")
    account = ctx.accounts().service_account(iss)
    if account is None or account.email != iss or account.deleted or account.disabled:
        raise _refuse("self-signed JWT: no such enabled service account")
    return account


def verify(ctx: Context, token: str) -> tuple[ServiceAccount, dict[str, object], int]:
    """The account and the verified claims of a JWT signed by one of its enabled keys,
    within its time window, and its expiry (``aud`` and ``scope`` are the caller's to check)."""
    header = _header(token)
    if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
        raise _refuse("self-signed JWT: RS256 with a kid is required")
    account = _account(ctx, _unverified_claims(token))
    now = ctx.clock.now()
    key = next((k for k in ctx.accounts().public_keys(account.pk, now)
                if k.key_id == header["kid"] and not k.disabled), None)
    if key is None:
        raise _refuse("self-signed JWT: no enabled key of the account has that kid")
    try:
        claims = jwt.decode(
            token,
            key.public_key,
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_exp": False, "verify_iat": False,
                     "verify_nbf": False, "require": ["iat", "exp"]},
        )
    except jwt.PyJWTError:
        raise _refuse("self-signed JWT: bad signature") from None
    iat, exp = claims["iat"], claims["exp"]
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in (iat, exp)):
        raise _refuse("self-signed JWT: iat and exp must be numbers")
    if exp - iat > MAX_LIFETIME or exp <= iat or iat > now + SKEW:
        raise _refuse("self-signed JWT: must be short-lived (60 minutes) and issued by now")
    if exp <= now - SKEW:
        raise ExpiredToken(wording.INVALID_VALUE, detail="self-signed JWT expired")
    return account, dict(claims), int(exp)


def admit(
    ctx: Context, token: str, audiences: Collection[str], api_scopes: frozenset[str]
) -> TokenSubject:
    """A self-signed JWT for an API known by ``audiences`` (its service URLs) and granting,
    through ``aud``, ``api_scopes``. A JWT with a ``scope`` claim and no ``aud`` gets those
    scopes; with both, ``aud`` must still be the API's."""
    account, claims, expires_at = verify(ctx, token)
    aud, scope = claims.get("aud"), claims.get("scope")
    named = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else None
    if aud is not None and (named is None or not any(a in audiences for a in named)):
        raise _refuse("self-signed JWT: aud is not this API's service URL")
    if scope is not None and not isinstance(scope, str):
        raise _refuse("self-signed JWT: scope must be a space-delimited string")
    if scope:
        scopes = tuple(sorted(set(scope.split())))
    elif aud is not None:
        scopes = tuple(sorted(api_scopes))
    else:
        raise _refuse("self-signed JWT: neither aud nor scope")
    return TokenSubject(
        authorization_pk=0,  # no authorization row: the JWT is its own grant
        scopes=scopes,
        expires_at=expires_at,
        access_type=AccessType.ONLINE,
        client_id=account.unique_id,
        project_pk=account.project_pk,
        project_number=account.project_number,
        principal=account.principal(),
    )
