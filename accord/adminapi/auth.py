"""Who calls: an access token from Accord's own OAuth flow carrying the admin scope.

The token travels only in ``Authorization: Bearer`` (RFC 6750 §2.1), never in the
URL. It is opened exactly as tokeninfo and userinfo open it; refusals are Google's
resource-server envelopes (reference §1.22): 401 with ``WWW-Authenticate`` when the
token is missing or dead, 403 ``ACCESS_TOKEN_SCOPE_INSUFFICIENT`` without the scope.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from accord.google.apis import Api
from accord.google.apis.errors import credentials_invalid, credentials_missing, scopes_insufficient
from accord.google.scopes import ADMIN
from accord.protocol.access import open_access_token
from accord.protocol.context import Context
from accord.services.actors import Member

RPC_PREFIX = "accord.admin.v1."


def admin_api(issuer: str) -> Api:
    """Accord's admin API as its error envelopes name it: the service is the issuer's host."""
    host = urlsplit(issuer).netloc or "accord"
    return Api("accord-admin", host, "Accord Admin API", ("v1",))


def authenticate(ctx: Context, issuer: str, token: str | None, operation: str) -> Member:
    api, rpc = admin_api(issuer), RPC_PREFIX + operation
    if not token:
        raise credentials_missing(api, rpc, issuer)
    subject = open_access_token(ctx, token)
    if subject is None:
        claims = ctx.minter.open_access(token)
        expired = claims is not None and claims.expires_at <= ctx.clock.now()
        raise credentials_invalid(api, rpc, issuer, expired)
    if ADMIN not in subject.scopes:
        raise scopes_insufficient(api, rpc, issuer, frozenset({ADMIN}))
    return Member(subject.user_pk)
