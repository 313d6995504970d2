"""Refreshing an access token (RFC 6749 §6). Google does not rotate refresh tokens."""

from __future__ import annotations

from collections.abc import Mapping

from accord.protocol.context import Context
from accord.protocol.errors import InvalidGrant, InvalidScope, UnauthorizedClient
from accord.protocol.grants.sign_in import id_token
from accord.protocol.messages import Client, TokenResponse
from accord.protocol.params import require, split_spaces
from accord.protocol.tokens import digest

GRANT_TYPE = "refresh_token"
EXPIRED_OR_REVOKED = "Token has been expired or revoked."  # reference §1.3.3
TOUCH_EVERY = 3600  # last-use time is kept to the hour, so refreshes rarely write


def exchange(ctx: Context, client: Client, params: Mapping[str, str]) -> TokenResponse:
    now = ctx.clock.now()
    authorization = ctx.store.by_refresh_hash(digest(require(params, "refresh_token")))
    if authorization is None or authorization.revoked:
        raise InvalidGrant(EXPIRED_OR_REVOKED)
    if authorization.client_pk != client.pk:
        raise UnauthorizedClient("Unauthorized", detail="refresh token of another client")
    scopes = authorization.scopes
    asked_names = split_spaces(params.get("scope"))
    if asked_names:  # a blank scope counts as absent, as an empty one does (§3.1)
        # RFC 6749 §6: a narrower scope may be asked for, never a wider one.
        asked = ctx.scopes.normalize(asked_names)
        extra = sorted(set(asked) - set(scopes))
        if extra:
            names = ", ".join(extra)
            raise InvalidScope(f"Some requested scopes were invalid. {{invalid=[{names}]}}")
        scopes = asked
    if now - authorization.last_used_at >= TOUCH_EVERY:
        ctx.store.touch(authorization.pk, now)
    ttl = ctx.lifetimes.access_token
    access_token = ctx.minter.seal_access(authorization.pk, now + ttl, scopes)
    return TokenResponse(
        access_token=access_token,
        expires_in=ttl,
        scope=" ".join(scopes),
        # Google returns a fresh ID token on refresh of a sign-in grant (reference §1.3.2).
        id_token=id_token(ctx, client, authorization.user_pk, scopes, now, access_token),
    )
