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

from collections.abc import Collection, Mapping

from accord.google import wording
from accord.protocol import assertions
from accord.protocol.context import Context
from accord.protocol.errors import ExpiredToken, InvalidGrant, InvalidToken
from accord.protocol.messages import AccessType, ServiceAccount, TokenSubject

MAX_LIFETIME = 3600  # exp - iat, seconds
SKEW = 60  # seconds of clock difference tolerated on iat and exp


def looks_like_jwt(token: str) -> bool:
    """A compact JWS (three base64url parts, a JSON header): never one of Accord's sealed
    access tokens, which carry their own prefix."""
    return token.count(".") == 2 and token.startswith("eyJ")


def _refuse(detail: str) -> InvalidToken:
    return InvalidToken(wording.INVALID_VALUE, detail=detail)


def _timely(iat: object, exp: object, now: int) -> int:
    """``exp``, when ``iat`` and ``exp`` are numbers at most an hour apart around ``now``."""
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in (iat, exp)):
        raise _refuse("self-signed JWT: iat and exp must be numbers")
    assert isinstance(iat, int | float) and isinstance(exp, int | float)
    if not iat <= exp <= iat + MAX_LIFETIME or iat > now + SKEW:
        raise _refuse("self-signed JWT: must be short-lived (60 minutes) and issued by now")
    if exp <= now - SKEW:
        raise ExpiredToken(wording.INVALID_VALUE, detail="self-signed JWT expired")
    return int(exp)


def verify(ctx: Context, token: str) -> tuple[ServiceAccount, Mapping[str, object], int]:
    """The account, the claims and the expiry of a JWT signed by one of the account's
    enabled keys, within its time window (``aud`` and ``scope`` are the caller's to check).
    Reading and the RS256 check are the JWT-bearer grant's (``accord.protocol.assertions``)."""
    try:
        jws = assertions.read(token)
    except InvalidGrant:
        raise _refuse("self-signed JWT: not a JWS of two JSON objects") from None
    iss, sub = jws.claims.get("iss"), jws.claims.get("sub")
    if not isinstance(iss, str) or iss != sub:
        raise _refuse("self-signed JWT: iss and sub must both be the account's email")
    account = ctx.accounts().service_account(iss)
    if account is None or account.email.lower() != iss.lower() or account.disabled \
            or account.deleted:
        raise _refuse("self-signed JWT: no such enabled service account")
    now = ctx.clock.now()
    if assertions.signed_by(jws, ctx.accounts().public_keys(account.pk, now)) is None:
        raise _refuse("self-signed JWT: not signed RS256 by an enabled key of the account")
    expires_at = _timely(jws.claims.get("iat"), jws.claims.get("exp"), now)
    return account, jws.claims, expires_at


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
        service_account_pk=account.pk,
    )
