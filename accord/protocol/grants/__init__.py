"""The token endpoint: one module per grant type (RFC 6749 §4.1.3, §6).

Each grant module declares a ``GRANT`` (``declare.Grant``): its ``grant_type``, its
parameters and how its caller is authenticated. The endpoint finds the grant first, then
authenticates the caller as that grant says, then lets the grant exchange the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from accord.protocol import client_auth
from accord.protocol.context import Context
from accord.protocol.errors import UnsupportedGrantType
from accord.protocol.grants import authorization_code, refresh_token
from accord.protocol.grants.declare import CallerAuth, Grant
from accord.protocol.messages import Client, TokenResponse
from accord.protocol.params import require

GRANTS: dict[str, Grant] = {
    grant.grant_type: grant for grant in (authorization_code.GRANT, refresh_token.GRANT)
}

Authenticate = Callable[[Context, Mapping[str, str], str | None], Client]


def _client_secret(ctx: Context, params: Mapping[str, str], header: str | None) -> Client:
    return client_auth.authenticate(params, header, ctx.store.client, ctx.secret_throttle)


# One way to authenticate per kind of caller; every registered grant must find its own.
AUTHENTICATORS: dict[CallerAuth, Authenticate] = {CallerAuth.CLIENT_SECRET: _client_secret}


def grant_types() -> list[str]:
    """Discovery's ``grant_types_supported``, in registration order."""
    return list(GRANTS)


def token(
    ctx: Context, params: Mapping[str, str], authorization_header: str | None
) -> TokenResponse:
    grant_type = require(params, "grant_type")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise UnsupportedGrantType(f"Invalid grant_type: {grant_type}")
    client = AUTHENTICATORS[grant.caller](ctx, params, authorization_header)
    return grant.exchange(ctx, client, params)
