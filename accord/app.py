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
from accord.ops import health, logs
from accord.ops.catch import Catch
from accord.ops.counting import count_signins
from accord.ops.metrics import metrics
from accord.ops.observe import Observe
from accord.protocol.errors import OAuthError
from accord.services import purge_deleted_clients, purge_deleted_service_accounts
from accord.settings import Settings
from accord.storage.database import Database, Handle
from accord.storage.guard import Timeouts
from accord.storage.keys import rotate_periodically
from accord.storage.purge import DAY, Retention, purge_dead
from accord.web import certs, iam, openid, render, robot, userinfo
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


def service_account_key_routes() -> list[BaseRoute]:
    """Service accounts' public keys (the key file's client_x509_cert_url)."""
    return list(robot.routes)


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


def iam_routes() -> list[BaseRoute]:
    """The IAM Credentials API (service-account impersonation, reference §1.19)."""
    return list(iam.routes)


def management_routes() -> list[BaseRoute]:
    """The developer console and the JSON admin API."""
    return [*console_routes, *console_overview.routes, *admin_api_routes]


def health_routes() -> list[BaseRoute]:
    """Liveness (/healthz) and readiness (/readyz)."""
    return health.routes(with_metrics=False)


def metrics_routes() -> list[BaseRoute]:
    """Prometheus exposition at /metrics (only when ACCORD_METRICS=1)."""
    return [r for r in health.routes(with_metrics=True) if getattr(r, "path", "") == "/metrics"]


PUBLIC: tuple[RouteGroup, ...] = (
    oauth_routes,
    health_routes,
    openid_routes,
    service_account_key_routes,
    page_routes,
    resource_routes,
    iam_routes,
    management_routes,
)


async def _favicon(request: Request) -> Response:
    return FileResponse(
        HERE / "static" / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


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
            await asyncio.to_thread(purge_deleted_service_accounts, deps.db, deps.clock.now())
            await asyncio.to_thread(purge_dead, deps.db, deps.clock.now(), retention)
        except Exception:
            log.exception("purging expired rows failed; next try in %s s", every)
        await asyncio.sleep(every)


def compose(deps: Deps, groups: Sequence[RouteGroup], background: bool = True) -> Starlette:
    """An ASGI application of the given route groups around one set of dependencies."""
    routes = [route for group in groups for route in group()]
    ops = deps.settings.ops
    meter = metrics() if ops.metrics else None
    if meter is not None:
        count_signins(deps, meter)
    app = Starlette(
        lifespan=_lifespan if background else None,
        routes=routes,
        # Observe outermost (request id, log line, metrics see every answer); Catch answers
        # what no handler took, inside SecurityHeaders so that its answers carry them too.
        middleware=[
            Middleware(Observe, access_log=ops.access_log, metrics=meter),
            Middleware(SecurityHeaders, hsts=deps.settings.issuer.startswith("https://")),
            Middleware(Catch),
        ],
        # No handler for Exception: Starlette would answer it and re-raise (accord.ops.catch).
        exception_handlers={
            OAuthError: render.oauth_error,
            HTTPException: render.http_error,
        },
    )
    app.state.deps = deps
    return app


def create_app(
    settings: Settings, clock: Clock | None = None, db: Handle | None = None
) -> Starlette:
    """The public listener. Without `db`, the database's connects and statements are
    bounded by the settings' timeouts (accord.storage.guard)."""
    logs.install(settings.ops)
    if db is None:
        timeouts = Timeouts(settings.ops.database_connect_timeout, settings.ops.database_timeout)
        db = Database.open(settings.database_url, timeouts)
    groups = PUBLIC + ((metrics_routes,) if settings.ops.metrics else ())
    return compose(build(settings, clock, db), groups)
