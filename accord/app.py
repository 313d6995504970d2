"""create_app(settings): the public listener, composed of route groups (wiring only)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from accord.adminapi import routes as admin_api_routes
from accord.clock import Clock
from accord.composition import Deps, build
from accord.console import overview as console_overview
from accord.console import routes as console_routes
from accord.google import paths
from accord.interaction import account, signin_page
from accord.interaction import routes as interaction_routes
from accord.interaction.throttle import purge_periodically
from accord.protocol.errors import OAuthError
from accord.services import purge_deleted_clients
from accord.settings import Settings
from accord.storage.database import Handle
from accord.storage.keys import rotate_periodically
from accord.storage.purge import DAY, Retention, purge_dead
from accord.web import certs, openid, render, userinfo
from accord.web.apis import routes as api_routes
from accord.web.authorize import authorize
from accord.web.revoke import revoke
from accord.web.security import SecurityHeaders
from accord.web.token import token
from accord.web.tokeninfo import tokeninfo

HERE = Path(__file__).parent
log = logging.getLogger("accord")

RouteGroup = Callable[[], list[BaseRoute]]


def oauth_routes() -> list[BaseRoute]:
    """Google's OAuth 2.0 endpoints: authorization, token, revocation, tokeninfo."""
    out: list[BaseRoute] = []
    out += [Route(p, authorize, methods=["GET", "POST"]) for p in paths.AUTHORIZE]
    out += [Route(p, token, methods=["POST"]) for p in paths.TOKEN]
    out += [Route(p, revoke, methods=["GET", "POST"]) for p in paths.REVOKE]
    out += [Route(p, tokeninfo, methods=["GET", "POST"]) for p in paths.TOKENINFO]
    return out


def openid_routes() -> list[BaseRoute]:
    """OpenID Connect: discovery, signing keys, userinfo."""
    return certs.routes + openid.routes + userinfo.routes


def page_routes() -> list[BaseRoute]:
    """What a person sees: sign-in, account chooser, consent, the account page, static files."""
    return [
        *interaction_routes.routes,
        *signin_page.routes,
        *account.routes,
        Route("/favicon.ico", _favicon, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def resource_routes() -> list[BaseRoute]:
    """The demo Google APIs that access tokens are used at."""
    return list(api_routes)


def management_routes() -> list[BaseRoute]:
    """The developer console and the JSON admin API."""
    return [*console_routes, *console_overview.routes, *admin_api_routes]


def health_routes() -> list[BaseRoute]:
    return [Route("/healthz", _health, methods=["GET"])]


PUBLIC: tuple[RouteGroup, ...] = (
    oauth_routes,
    health_routes,
    openid_routes,
    page_routes,
    resource_routes,
    management_routes,
)


async def _favicon(request: Request) -> Response:
    return FileResponse(
        HERE / "static" / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def _health(request: Request) -> Response:
    return render.json_response({"status": "ok"})


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """Background chores: rotate signing keys when due, purge expired codes."""
    deps: Deps = app.state.deps
    tasks = [
        asyncio.create_task(rotate_periodically(deps.keys, deps.clock)),
        asyncio.create_task(_purge_periodically(deps)),
        asyncio.create_task(purge_periodically(deps.signins.throttle)),
    ]
    yield
    for task in tasks:
        task.cancel()


async def _purge_periodically(deps: Deps, every: float = 3600.0) -> None:
    store, settings = deps.store, deps.settings
    retention = Retention(
        dead_tokens=settings.token_retention_days * DAY,
        audit_events=settings.audit_retention_days * DAY,
        access_token=deps.ctx.lifetimes.access_token,
    )
    while True:
        try:
            await asyncio.to_thread(store.purge, deps.clock.now())
            await asyncio.to_thread(purge_deleted_clients, deps.db, deps.clock.now())
            await asyncio.to_thread(purge_dead, deps.db, deps.clock.now(), retention)
        except Exception:
            log.exception("purging expired rows failed; next try in %s s", every)
        await asyncio.sleep(every)


def compose(deps: Deps, groups: Sequence[RouteGroup], background: bool = True) -> Starlette:
    """An ASGI application of the given route groups around one set of dependencies."""
    routes = [route for group in groups for route in group()]
    app = Starlette(
        lifespan=_lifespan if background else None,
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            OAuthError: render.oauth_error,
            HTTPException: render.http_error,
            Exception: render.server_error,
        },
    )
    app.state.deps = deps
    return app


def create_app(
    settings: Settings, clock: Clock | None = None, db: Handle | None = None
) -> Starlette:
    return compose(build(settings, clock, db), PUBLIC)
