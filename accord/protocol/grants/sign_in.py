"""The ID token a token response carries when a sign-in scope was granted (OIDC Core §3.1.3.3),
shared by the code exchange and the refresh grant."""

from __future__ import annotations

from accord.protocol.context import Context
from accord.protocol.messages import Client


def id_token(
    ctx: Context,
    client: Client,
    user_pk: int,
    scopes: tuple[str, ...],
    now: int,
    access_token: str,
    nonce: str | None = None,
    auth_time: int | None = None,
) -> str | None:
    """An ID token when a sign-in scope was granted (OIDC Core §3.1.3.3)."""
    if ctx.id_tokens is None or not ctx.id_tokens.wanted(scopes):
        return None
    user = ctx.store.user_by_pk(user_pk)
    if user is None:
        return None
    return ctx.id_tokens.issue(
        client_id=client.client_id,
        user=user,
        scopes=scopes,
        now=now,
        access_token=access_token,
        nonce=nonce,
        auth_time=auth_time,
    )
