"""create_app(settings): wiring only. Routes, middleware, error handlers, stores."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from accord.adminapi import routes as admin_api_routes
from accord.clock import Clock, SystemClock
from accord.console import routes as console_routes
from accord.google import identifiers, paths, scopes
from accord.interaction import account, signin_page
from accord.interaction import routes as interaction_routes
from accord.interaction.session import Sessions
from accord.interaction.store import BrowserSessions, Interactions
from accord.interaction.throttle import Limits, PasswordCheck, Throttle, purge_periodically
from accord.protocol.authorize import ScopePolicy
from accord.protocol.context import Context
from accord.protocol.errors import OAuthError
from accord.protocol.id_token import IdTokens
from accord.protocol.tokens import TokenMinter
from accord.services import purge_deleted_clients
from accord.settings import Settings
from accord.storage.accounts import Accounts, SqlThrottleCounters
from accord.storage.audit import AuditLog
from accord.storage.engine import make_engine
from accord.storage.keys import SqlKeyRing, rotate_periodically
from accord.storage.sql import RefreshLimits, SqlStore
from accord.web import certs, openid, render, userinfo
from accord.web.apis import routes as api_routes
from accord.web.authorize import authorize
from accord.web.revoke import revoke
from accord.web.security import SecurityHeaders
from accord.web.token import token
from accord.web.tokeninfo import tokeninfo

HERE = Path(__file__).parent
log = logging.getLogger("accord")


def _routes() -> list[BaseRoute]:
    out: list[BaseRoute] = []
    out += [Route(p, authorize, methods=["GET", "POST"]) for p in paths.AUTHORIZE]
    out += [Route(p, token, methods=["POST"]) for p in paths.TOKEN]
    out += [Route(p, revoke, methods=["GET", "POST"]) for p in paths.REVOKE]
    out += [Route(p, tokeninfo, methods=["GET", "POST"]) for p in paths.TOKENINFO]
    out += [Route("/healthz", _health, methods=["GET"])]
    out += certs.routes + openid.routes + userinfo.routes
    out += interaction_routes.routes + api_routes + console_routes
    out += signin_page.routes + account.routes
    out += admin_api_routes
    out.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    return out


async def _health(request: Request) -> Response:
    return render.json_response({"status": "ok"})


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """Background chores: rotate signing keys when due, purge expired codes."""
    ctx: Context = app.state.ctx
    tasks = [
        asyncio.create_task(rotate_periodically(app.state.keys, ctx.clock)),
        asyncio.create_task(_purge_periodically(ctx)),
        asyncio.create_task(purge_periodically(app.state.signins.throttle)),
    ]
    yield
    for task in tasks:
        task.cancel()


async def _purge_periodically(ctx: Context, every: float = 3600.0) -> None:
    store = ctx.store
    assert isinstance(store, SqlStore)
    while True:
        try:
            await asyncio.to_thread(store.purge, ctx.clock.now())
            await asyncio.to_thread(purge_deleted_clients, store.engine, ctx.clock.now())
        except Exception:
            log.exception("purging expired codes failed; next try in %s s", every)
        await asyncio.sleep(every)


def create_app(
    settings: Settings, clock: Clock | None = None, engine: Engine | None = None
) -> Starlette:
    engine = engine or make_engine(settings.database_url)
    clock = clock or SystemClock()
    keys = SqlKeyRing(
        engine,
        settings.subkey("signing-keys"),
        settings.key_policy,
        common_name=urlsplit(settings.issuer).hostname or "accord",
    )
    ctx = Context(
        store=SqlStore(
            engine,
            RefreshLimits(settings.refresh_tokens_per_client, settings.refresh_tokens_per_user),
        ),
        minter=TokenMinter(settings.subkey("access-token"), identifiers.TOKEN_FORMAT),
        clock=clock,
        scopes=ScopePolicy(
            unknown=scopes.unknown,
            normalize=scopes.normalize,
            service=scopes.service,
            basic=scopes.basic,
        ),
        id_tokens=IdTokens(settings.oidc_issuer, keys, scopes.claim_groups),
    )
    app = Starlette(
        lifespan=_lifespan,
        routes=_routes(),
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            OAuthError: render.oauth_error,
            HTTPException: render.http_error,
            Exception: render.server_error,
        },
    )
    app.state.settings = settings
    app.state.ctx = ctx
    app.state.engine = engine
    app.state.keys = keys
    app.state.sessions = Sessions(
        settings.subkey("session-cookie"), settings.secure_cookies, clock, BrowserSessions(engine)
    )
    app.state.interactions = Interactions(engine)
    app.state.audit = AuditLog(engine)
    app.state.accounts = Accounts(engine)
    limits = Limits(
        settings.signin_window, settings.signin_max_per_account, settings.signin_max_per_address
    )
    throttle = Throttle(SqlThrottleCounters(engine), limits, clock)
    app.state.signins = PasswordCheck(ctx.store, throttle, app.state.audit, clock)
    # Jinja2Templates autoescapes .html templates: nothing a client sends reaches a page raw.
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    return app
