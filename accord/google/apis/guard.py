"""Admitting a call to a demo API: credentials, then the project's enabled APIs, then scopes.

Each refusal is Google's envelope (reference §1.22). The order is Accord's
choice [U]: a token must be live before anything else is said about it, and
the project check comes before the scope check because no consent can fix a
project that lacks the API.
"""

from __future__ import annotations

from functools import cache

from accord.google.apis import Api, discovery, errors
from accord.google.apis.registry import Endpoint
from accord.protocol import access, self_signed
from accord.protocol.context import Context
from accord.protocol.errors import ExpiredToken, InvalidToken, MissingToken
from accord.protocol.messages import TokenSubject


def credentials(
    ctx: Context, token: str | None, api: Api, rpc: str, issuer: str, *, says_expired: bool = True
) -> TokenSubject:
    """The core's bearer admission, its refusals in Google's envelope (reference §1.22):
    401 ``CREDENTIALS_MISSING`` without a token, 401 ``ACCESS_TOKEN_EXPIRED`` or
    ``ACCESS_TOKEN_TYPE_UNSUPPORTED`` for a dead one (the userinfo endpoints never say
    expired: ``says_expired=False``)."""
    try:
        return access.admit(ctx, token)
    except MissingToken:
        raise errors.credentials_missing(api, rpc, issuer) from None
    except InvalidToken as exc:
        expired = says_expired and isinstance(exc, ExpiredToken)
        raise errors.credentials_invalid(api, rpc, issuer, expired) from None


@cache
def _self_signed_audiences(api: Api, issuer: str) -> frozenset[str]:
    """The ``aud`` values a self-signed JWT for ``api`` may carry (reference §1.17): Google's
    service URL (``https://drive.googleapis.com/``) and the API's root on Accord's origin
    (what googleapiclient takes as the audience: rootUrl + servicePath)."""
    root = issuer.rstrip("/") + "/"
    paths = {doc["servicePath"] for v in api.versions if (doc := discovery.stored(api.name, v))}
    return frozenset({f"https://{api.service}/", *(root + p for p in paths)})


@cache
def _api_scopes(api: Api) -> frozenset[str]:
    return frozenset(s for m in discovery.methods() if m.api == api for s in m.scopes)


def _self_signed(ctx: Context, token: str, api: Api, rpc: str, issuer: str) -> TokenSubject:
    try:
        return self_signed.admit(ctx, token, _self_signed_audiences(api, issuer), _api_scopes(api))
    except InvalidToken as exc:
        raise errors.credentials_invalid(api, rpc, issuer, isinstance(exc, ExpiredToken)) from None


def admit(ctx: Context, endpoint: Endpoint, token: str | None, issuer: str) -> TokenSubject:
    """A demo API's admission: an access token of Accord's, or a service account's
    self-signed JWT (reference §1.17)."""
    api, rpc = endpoint.method.api, endpoint.rpc
    if token and self_signed.looks_like_jwt(token) and ctx.service_accounts is not None:
        subject = _self_signed(ctx, token, api, rpc, issuer)
    else:
        subject = credentials(ctx, token, api, rpc, issuer)
    if api.name not in ctx.store.enabled_apis(subject.project_pk):
        raise errors.service_disabled(api, subject.project_number, issuer)
    if endpoint.method.scopes.isdisjoint(subject.scopes):
        raise errors.scopes_insufficient(api, rpc, issuer, endpoint.method.scopes)
    return subject
