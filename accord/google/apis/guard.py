"""Admitting a call to a demo API: credentials, then the project's enabled APIs, then scopes.

Each refusal is Google's envelope (reference §1.22). The order is Accord's
choice [U]: a token must be live before anything else is said about it, and
the project check comes before the scope check because no consent can fix a
project that lacks the API.
"""

from __future__ import annotations

from accord.google.apis import errors
from accord.google.apis.registry import Endpoint
from accord.protocol.access import open_access_token
from accord.protocol.context import Context
from accord.protocol.messages import TokenSubject


def admit(ctx: Context, endpoint: Endpoint, token: str | None, issuer: str) -> TokenSubject:
    api, rpc = endpoint.method.api, endpoint.rpc
    if not token:
        raise errors.credentials_missing(api, rpc, issuer)
    subject = open_access_token(ctx, token)
    if subject is None:
        claims = ctx.minter.open_access(token)
        expired = claims is not None and claims.expires_at <= ctx.clock.now()
        raise errors.credentials_invalid(api, rpc, issuer, expired)
    if api.name not in ctx.store.enabled_apis(subject.project_pk):
        raise errors.service_disabled(api, subject.project_number, issuer)
    if endpoint.method.scopes.isdisjoint(subject.scopes):
        raise errors.scopes_insufficient(api, rpc, issuer, endpoint.method.scopes)
    return subject
