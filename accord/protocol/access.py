"""Using and revoking tokens: the resource side, tokeninfo (introspection) and RFC 7009."""

from __future__ import annotations

from dataclasses import replace

from accord.protocol.context import Context
from accord.protocol.errors import InvalidToken
from accord.protocol.messages import AuditEvent, TokenSubject
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
            _revoke(ctx, subject.user_pk, subject.project_pk, subject.client_id, now)
            return
        authorization = ctx.store.by_refresh_hash(digest(token))
        if authorization is not None and not authorization.revoked:
            _revoke(
                ctx, authorization.user_pk, authorization.project_pk, authorization.client_id, now
            )
            return
    raise InvalidToken("Token expired or revoked")


def _revoke(ctx: Context, user_pk: int, project_pk: int, client_id: str, now: int) -> None:
    ctx.store.revoke_grant(user_pk, project_pk, now)
    user = ctx.store.user_by_pk(user_pk)
    ctx.store.record(
        AuditEvent(
            event="token.revoked",
            at=now,
            user_pk=user_pk,
            email=user.email if user else "",
            org_pk=user.org_pk if user else None,
            project_pk=project_pk,
            client_id=client_id,
            outcome="revoked",
        )
    )
