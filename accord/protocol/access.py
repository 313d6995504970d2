"""Using and revoking tokens: the resource side, tokeninfo (introspection) and RFC 7009."""

from __future__ import annotations

from dataclasses import replace

from accord.google import wording
from accord.protocol.context import Context
from accord.protocol.errors import ExpiredToken, InvalidToken, MissingToken
from accord.protocol.messages import AuditEvent, Principal, TokenSubject
from accord.protocol.tokens import digest


def _open(ctx: Context, token: str) -> TokenSubject:
    claims = ctx.minter.open_access(token)
    if claims is None:
        raise InvalidToken(wording.INVALID_VALUE, detail="not a token of this server")
    if claims.expires_at <= ctx.clock.now():
        raise ExpiredToken(wording.INVALID_VALUE, detail="access token expired")
    subject = ctx.store.subject(claims.authorization_pk)
    if subject is None:
        raise InvalidToken(wording.INVALID_VALUE, detail="authorization revoked or user disabled")
    return replace(subject, scopes=claims.scopes, expires_at=claims.expires_at)


def admit(ctx: Context, token: str | None) -> TokenSubject:
    """The one admission of a bearer access token (RFC 6750 §3.1) for every resource
    endpoint: opened once, then checked against its live authorization.

    Raises ``MissingToken`` without a token, ``ExpiredToken`` for one of ours past its
    expiry, and ``InvalidToken`` for anything else (unknown, forged, revoked)."""
    if not token:
        raise MissingToken(wording.INVALID_VALUE)
    return _open(ctx, token)


def revoke(ctx: Context, token: str | None) -> None:
    """RFC 7009, as Google does it: any token of a grant revokes the user's whole
    grant to the project, every scope and every client of it (reference §1.5). A token
    issued to a service account (its own, or for a user through domain-wide delegation)
    stands for no consent: revoking it revokes its own authorization only."""
    now = ctx.clock.now()
    if token:
        try:
            subject = _open(ctx, token)
        except InvalidToken:
            pass
        else:
            if subject.service_account_pk is not None:
                ctx.store.revoke_authorization(subject.authorization_pk, now)
                _record(ctx, subject.principal, subject.project_pk, subject.client_id, now)
                return
            _revoke(ctx, subject.principal, subject.project_pk, subject.client_id, now)
            return
        authorization = ctx.store.by_refresh_hash(digest(token))
        if authorization is not None and not authorization.revoked:
            _revoke(
                ctx, authorization.principal, authorization.project_pk, authorization.client_id, now
            )
            return
    raise InvalidToken(wording.REVOKE_UNKNOWN)


def _revoke(
    ctx: Context, principal: Principal, project_pk: int, client_id: str, now: int
) -> None:
    user_pk = principal.user_pk
    if user_pk is not None:  # a user's grant to the project goes whole (reference §1.5)
        ctx.store.revoke_grant(user_pk, project_pk, now)
    _record(ctx, principal, project_pk, client_id, now)


def _record(ctx: Context, principal: Principal, project_pk: int, client_id: str, now: int) -> None:
    ctx.store.record(
        AuditEvent(
            event="token.revoked",
            at=now,
            user_pk=principal.user_pk,
            email=principal.email,
            org_pk=principal.org_pk,
            project_pk=project_pk,
            client_id=client_id,
            outcome="revoked",
        )
    )
