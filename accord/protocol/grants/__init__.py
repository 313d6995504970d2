"""The token endpoint: one module per grant type (RFC 6749 §4.1.3, §6)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from accord.protocol import client_auth
from accord.protocol.context import Context
from accord.protocol.errors import UnsupportedGrantType
from accord.protocol.grants import authorization_code, refresh_token
from accord.protocol.messages import Client, TokenResponse
from accord.protocol.params import require

Grant = Callable[[Context, Client, Mapping[str, str]], TokenResponse]

GRANTS: dict[str, Grant] = {
    authorization_code.GRANT_TYPE: authorization_code.exchange,
    refresh_token.GRANT_TYPE: refresh_token.exchange,
}


def token(
    ctx: Context, params: Mapping[str, str], authorization_header: str | None
) -> TokenResponse:
    grant_type = require(params, "grant_type")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise UnsupportedGrantType(f"Invalid grant_type: {grant_type}")
    client = client_auth.authenticate(params, authorization_header, ctx.store.client)
    return grant(ctx, client, params)
