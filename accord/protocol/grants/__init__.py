"""The token endpoint: one module per grant type (RFC 6749 §4.1.3, §6; RFC 7523 §2.1).

Each grant module declares a ``GRANT`` (``declare.Grant``): its ``grant_type``, its
parameters and how its caller is authenticated. The endpoint finds the grant first, then
authenticates the caller as that grant says, then lets the grant exchange the request.

The caller is what the authenticator returns and what the grant's ``exchange`` takes: an
OAuth ``Client`` (client secret) or a verified service-account ``Assertion`` (the
JWT-bearer grant, whose signed JWT is both the credential and the request).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from accord.protocol import assertions, client_auth
from accord.protocol.context import Context
from accord.protocol.errors import UnsupportedGrantType
from accord.protocol.grants import authorization_code, jwt_bearer, refresh_token
from accord.protocol.grants.declare import CallerAuth, Grant, Reply
from accord.protocol.messages import Client
from accord.protocol.params import require

GRANTS: dict[str, Grant[Any]] = {
    grant.grant_type: grant
    for grant in (authorization_code.GRANT, refresh_token.GRANT, jwt_bearer.GRANT)
}

Authenticate = Callable[[Context, Mapping[str, str], str | None], Any]


def _client_secret(
    ctx: Context, params: Mapping[str, str], header: str | None
) -> Client:
    return client_auth.authenticate(params, header, ctx.store.client)


def _assertion(
    ctx: Context, params: Mapping[str, str], header: str | None
) -> assertions.Assertion:
    return assertions.verify(ctx, require(params, "assertion"))


# One way to authenticate per kind of caller; every registered grant must find its own.
AUTHENTICATORS: dict[CallerAuth, Authenticate] = {
    CallerAuth.CLIENT_SECRET: _client_secret,
    CallerAuth.ASSERTION: _assertion,
}


def grant_types() -> list[str]:
    """Discovery's ``grant_types_supported``, in registration order."""
    return list(GRANTS)


def token(ctx: Context, params: Mapping[str, str], authorization_header: str | None) -> Reply:
    grant_type = require(params, "grant_type")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise UnsupportedGrantType(f"Invalid grant_type: {grant_type}")
    caller = AUTHENTICATORS[grant.caller](ctx, params, authorization_header)
    return grant.exchange(ctx, caller, params)
