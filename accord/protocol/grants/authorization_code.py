"""The authorization code grant's token request (RFC 6749 §4.1.3)."""

from __future__ import annotations

from collections.abc import Mapping

from accord.google import wording
from accord.protocol import pkce
from accord.protocol.context import Context
from accord.protocol.errors import InvalidGrant, RedirectUriMismatch
from accord.protocol.grants.declare import CallerAuth, Grant
from accord.protocol.issue import Issuance, issue
from accord.protocol.messages import Client, StoredCode, TokenResponse
from accord.protocol.params import require
from accord.protocol.tokens import digest


def _redeemable(ctx: Context, client: Client, params: Mapping[str, str], now: int) -> StoredCode:
    """The client's live, unused code, with the request matching what it was issued for."""
    code = require(params, "code")
    if not code.startswith(ctx.minter.format.code):
        raise InvalidGrant(wording.MALFORMED_CODE)
    found = ctx.store.find_code(digest(code))
    if found is None or found.grant.client_pk != client.pk:
        raise InvalidGrant(wording.BAD_REQUEST, detail="unknown code or code of another client")
    if found.consumed:
        # RFC 6749 §4.1.2: a code used twice revokes the tokens it produced.
        ctx.store.revoke_code_family(found.pk, now)
        raise InvalidGrant(wording.BAD_REQUEST, detail="authorization code replayed")
    grant = found.grant
    if grant.expires_at <= now:
        raise InvalidGrant(wording.BAD_REQUEST, detail="authorization code expired")
    # Google answers a different redirect_uri with its own code (reference §1.1, [3P]).
    if require(params, "redirect_uri") != grant.redirect_uri:
        raise RedirectUriMismatch(wording.BAD_REQUEST)
    pkce.verify(grant.code_challenge, grant.code_challenge_method, params.get("code_verifier"))
    return found


def exchange(ctx: Context, client: Client, params: Mapping[str, str]) -> TokenResponse:
    now = ctx.clock.now()
    found = _redeemable(ctx, client, params, now)
    grant = found.grant
    refresh = ctx.minter.new_refresh_token() if grant.issue_refresh_token else None
    authorization = ctx.store.redeem_code(found, refresh and digest(refresh), now)
    if authorization is None:  # a concurrent exchange won the race
        ctx.store.revoke_code_family(found.pk, now)
        raise InvalidGrant(wording.BAD_REQUEST, detail="authorization code replayed")
    issued = issue(
        ctx,
        Issuance(
            client=client,
            user_pk=grant.user_pk,
            scopes=grant.scopes,
            now=now,
            authorization_pk=authorization.pk,
            refresh_token=refresh,
            refresh_token_expires_in=grant.refresh_lifetime if refresh else None,
            nonce=grant.nonce,
            auth_time=grant.auth_time if grant.auth_time_requested else None,
        ),
    )
    return issued.token_response()


GRANT = Grant(
    grant_type="authorization_code",
    parameters=("code", "redirect_uri", "code_verifier"),
    caller=CallerAuth.CLIENT_SECRET,
    exchange=exchange,
)
