"""Who calls: an access token from Accord's own OAuth flow carrying the admin scope.

The token travels only in ``Authorization: Bearer`` (RFC 6750 §2.1), never in the
URL. It is admitted by the core's one bearer admission (``protocol.access.admit``, through
``google.apis.guard.credentials``); refusals are Google's resource-server envelopes
(reference §1.22): 401 with ``WWW-Authenticate`` when the token is missing or dead,
403 ``ACCESS_TOKEN_SCOPE_INSUFFICIENT`` without the scope.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from accord.google.apis import Api
from accord.google.apis.errors import scopes_insufficient
from accord.google.apis.guard import credentials
from accord.google.scopes import ADMIN
from accord.protocol.context import Context
from accord.services.actors import Member

RPC_PREFIX = "accord.admin.v1."


def admin_api(issuer: str) -> Api:
    """Accord's admin API as its error envelopes name it: the service is the issuer's host."""
    host = urlsplit(issuer).netloc or "accord"
    return Api("accord-admin", host, "Accord Admin API", ("v1",))


def authenticate(ctx: Context, issuer: str, token: str | None, operation: str) -> Member:
    api, rpc = admin_api(issuer), RPC_PREFIX + operation
    subject = credentials(ctx, token, api, rpc, issuer)
    if ADMIN not in subject.scopes:
        raise scopes_insufficient(api, rpc, issuer, frozenset({ADMIN}))
    user_pk = subject.principal.user_pk
    if user_pk is None:  # only accounts have console roles
        raise scopes_insufficient(api, rpc, issuer, frozenset({ADMIN}))
    return Member(user_pk)
