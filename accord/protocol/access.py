"""Using and revoking tokens: the resource side, tokeninfo (introspection) and RFC 7009."""

from __future__ import annotations

from dataclasses import replace

from accord.protocol.context import Context
from accord.protocol.errors import InvalidToken
from accord.protocol.messages import TokenSubject
from accord.protocol.tokens import digest


def open_access_token(ctx: Context, token: str) -> TokenSubject | None:
    """The live subject of an access token; None when it is unknown, expired or revoked."""
    claims = ctx.minter.open_access(token)
    if claims is None or claims.expires_at <= ctx.clock.now():
        return None
    subject = ctx.store.subject(claims.authorization_pk)
    if subject is None:
        return None
    return replace(subject, scopes=claims.scopes, expires_at=claims.expires_at)


def inspect(ctx: Context, token: str | None) -> TokenSubject:
    subject = open_access_token(ctx, token) if token else None
    if subject is None:
        raise InvalidToken("Invalid Value")
    return subject


def revoke(ctx: Context, token: str | None) -> None:
    """RFC 7009, as Google does it: any token of a grant revokes the user's whole
    grant to the project, every scope and every client of it (reference §1.5)."""
    now = ctx.clock.now()
    if token:
        subject = open_access_token(ctx, token)
        if subject is not None:
            ctx.store.revoke_grant(subject.user_pk, subject.project_pk, now)
            return
        authorization = ctx.store.by_refresh_hash(digest(token))
        if authorization is not None and not authorization.revoked:
            ctx.store.revoke_grant(authorization.user_pk, authorization.project_pk, now)
            return
    raise InvalidToken("Token expired or revoked")
