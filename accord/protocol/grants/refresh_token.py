"""Refreshing an access token (RFC 6749 §6). Google does not rotate refresh tokens."""

from __future__ import annotations

from collections.abc import Mapping

from accord.google import wording
from accord.protocol import policy
from accord.protocol.context import Context
from accord.protocol.errors import InvalidGrant, InvalidScope, UnauthorizedClient
from accord.protocol.grants.declare import CallerAuth, Grant
from accord.protocol.issue import Issuance, issue
from accord.protocol.messages import Authorization, Client, TokenResponse
from accord.protocol.params import require, split_spaces
from accord.protocol.tokens import digest

TOUCH_EVERY = 3600  # last-use time is kept to the hour, so refreshes rarely write
IDLE_EXPIRY = 183 * 24 * 3600  # "not been used for six months" (reference §1.3.3)


def _live(authorization: Authorization | None, now: int) -> Authorization:
    """Every reason of reference §1.3.3 a refresh token stops working gives the same answer:
    revoked (by the user, a newer token past the limit, or a replayed code), a disabled or
    deleted account, time-based access or testing status run out, six months unused."""
    if authorization is None or authorization.revoked or authorization.principal.disabled:
        raise InvalidGrant(wording.EXPIRED_OR_REVOKED)
    expires = authorization.refresh_expires_at
    if expires is not None and now >= expires:
        raise InvalidGrant(wording.EXPIRED_OR_REVOKED, detail="time-limited refresh token expired")
    if now - authorization.last_used_at >= IDLE_EXPIRY:
        raise InvalidGrant(wording.EXPIRED_OR_REVOKED, detail="unused for six months")
    return authorization


def exchange(ctx: Context, client: Client, params: Mapping[str, str]) -> TokenResponse:
    now = ctx.clock.now()
    found = ctx.store.by_refresh_hash(digest(require(params, "refresh_token")))
    authorization = _live(found, now)
    if authorization.client_pk != client.pk:
        raise UnauthorizedClient(wording.UNAUTHORIZED, detail="refresh token of another client")
    scopes = authorization.scopes
    asked_names = split_spaces(params.get("scope"))
    if asked_names:  # a blank scope counts as absent, as an empty one does (§3.1)
        # RFC 6749 §6: a narrower scope may be asked for, never a wider one.
        asked = ctx.scopes.normalize(asked_names)
        extra = sorted(set(asked) - set(scopes))
        if extra:
            raise InvalidScope(wording.invalid_scopes(extra))
        scopes = asked
    # A service restricted since the grant, or the app blocked: admin_policy_enforced (§1.3.3).
    policy.check_controls(
        client,
        authorization.principal.org_pk,
        scopes,
        ctx.scopes.service,
        lambda org_pk: ctx.store.org_controls(org_pk, client.client_id),
    )
    if now - authorization.last_used_at >= TOUCH_EVERY:
        ctx.store.touch(authorization.pk, now)
    expires = authorization.refresh_expires_at
    # Google returns a fresh ID token on refresh of a sign-in grant (reference §1.3.2).
    issued = issue(
        ctx,
        Issuance(
            client=client,
            user_pk=authorization.principal.user_pk,
            scopes=scopes,
            now=now,
            authorization_pk=authorization.pk,
            refresh_token_expires_in=expires - now if expires is not None else None,
        ),
    )
    return issued.token_response()


GRANT = Grant(
    grant_type="refresh_token",
    parameters=("refresh_token", "scope"),
    caller=CallerAuth.CLIENT_SECRET,
    exchange=exchange,
)
