"""Userinfo endpoints (OIDC Core §5.3; reference §1.7): Bearer token, claims by granted scope."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from accord.composition import deps
from accord.google.apis import Api
from accord.google.apis.errors import ApiError, credentials_invalid
from accord.google.apis.guard import credentials
from accord.google.userinfo import OAUTH2_API, OPENID_API, legacy_userinfo, openid_userinfo
from accord.protocol.context import Context
from accord.protocol.messages import Principal, PrincipalKind, User
from accord.web.forms import query_pairs
from accord.web.tokeninfo import bearer

Shape = Callable[[User, tuple[str, ...]], dict[str, object]]


def _profile(ctx: Context, principal: Principal) -> User | None:
    """The claims' source: the user's row, or a service account's identity (sub = unique
    id, its email, verified; no profile)."""
    if principal.kind is PrincipalKind.SERVICE_ACCOUNT:
        return User(pk=principal.pk, sub=principal.sub, email=principal.email, name="")
    user_pk = principal.user_pk
    return ctx.store.user_by_pk(user_pk) if user_pk is not None else None


def _endpoint(shape: Shape, api: Api, rpc: str) -> Callable[[Request], object]:
    async def userinfo(request: Request) -> Response:
        ctx = deps(request).ctx
        issuer: str = deps(request).settings.issuer
        token = bearer(request) or dict(query_pairs(request)).get("access_token")
        try:
            subject = credentials(ctx, token, api, rpc, issuer, says_expired=False)
            user = _profile(ctx, subject.principal)
            if user is None:
                raise credentials_invalid(api, rpc, issuer, expired=False)
        except ApiError as exc:
            return JSONResponse(exc.body, exc.status, headers=exc.headers)
        return JSONResponse(shape(user, subject.scopes), headers={"Cache-Control": "no-store"})

    return userinfo


_OPENID = _endpoint(openid_userinfo, OPENID_API, "google.identity.openidconnect.UserInfo")
_LEGACY = _endpoint(legacy_userinfo, OAUTH2_API, "oauth2.userinfo.get")

routes: list[BaseRoute] = [
    Route("/v1/userinfo", _OPENID, methods=["GET", "POST"]),
    Route("/oauth2/v3/userinfo", _OPENID, methods=["GET", "POST"]),
    Route("/oauth2/v2/userinfo", _LEGACY, methods=["GET"]),
    Route("/userinfo/v2/me", _LEGACY, methods=["GET"]),
]
