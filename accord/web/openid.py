"""``/.well-known/openid-configuration`` (OpenID Connect Discovery 1.0 §4; reference §1.8)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from accord.composition import deps
from accord.google.openid import configuration


async def openid_configuration(request: Request) -> Response:
    settings = deps(request).settings
    body = configuration(settings.issuer, settings.oidc_issuer)
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=3600"})


routes: list[BaseRoute] = [
    Route("/.well-known/openid-configuration", openid_configuration, methods=["GET"]),
]
