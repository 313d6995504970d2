"""The composition root: every dependency of a handler, page, API call, command or
background task, built once and typed.

``build(settings)`` makes a :class:`Deps`; ``compose(deps, groups)`` makes an ASGI
application of route groups around it. The public listener is one composition
(``accord.app.create_app``); another listener is another composition of the same parts.
Handlers reach their dependencies through :func:`deps`, never through ``app.state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.requests import HTTPConnection
from starlette.templating import Jinja2Templates

from accord.clock import Clock, SystemClock
from accord.google import identifiers, scopes
from accord.interaction.session import Sessions
from accord.interaction.store import BrowserSessions, Interactions
from accord.interaction.throttle import Limits, PasswordCheck, Throttle
from accord.protocol.authorize import ScopePolicy
from accord.protocol.context import Context
from accord.protocol.id_token import IdTokens
from accord.protocol.tokens import TokenMinter
from accord.services import Admin, Clients, Organizations, Projects, Users
from accord.services.signup import SignUp
from accord.settings import Settings
from accord.storage.accounts import Accounts, SqlThrottleCounters
from accord.storage.audit import AuditLog
from accord.storage.engine import make_engine
from accord.storage.keys import SqlKeyRing
from accord.storage.sql import RefreshLimits, SqlStore

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Services:
    """The administrative use cases (console, admin API, CLI, demo), on one store and clock."""

    projects: Projects
    clients: Clients
    orgs: Organizations
    users: Users
    admin: Admin  # the operator's facade (CLI, demo)
    signup: SignUp  # self-service sign-up: one account, nothing else


def services(engine: Engine, clock: Clock) -> Services:
    users = Users(engine, clock)
    return Services(
        Projects(engine, clock),
        Clients(engine, clock),
        Organizations(engine, clock),
        users,
        Admin(engine, clock),
        SignUp(users, Accounts(engine).org_of_domain),
    )


@dataclass(frozen=True)
class Deps:
    """What the application is made of. One per process, shared by every request."""

    settings: Settings
    clock: Clock
    engine: Engine
    store: SqlStore
    ctx: Context
    keys: SqlKeyRing
    sessions: Sessions
    interactions: Interactions
    audit: AuditLog
    accounts: Accounts
    signins: PasswordCheck
    services: Services
    templates: Jinja2Templates


def key_ring(settings: Settings, engine: Engine) -> SqlKeyRing:
    """The ID-token key ring; its certificates are named after the issuer's host."""
    return SqlKeyRing(
        engine,
        settings.subkey("signing-keys"),
        settings.key_policy,
        common_name=urlsplit(settings.issuer).hostname or "accord",
    )


def build(settings: Settings, clock: Clock | None = None, engine: Engine | None = None) -> Deps:
    engine = engine or make_engine(settings.database_url)
    clock = clock or SystemClock()
    keys = key_ring(settings, engine)
    store = SqlStore(
        engine, RefreshLimits(settings.refresh_tokens_per_client, settings.refresh_tokens_per_user)
    )
    ctx = Context(
        store=store,
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
    audit = AuditLog(engine)
    limits = Limits(
        settings.signin_window, settings.signin_max_per_account, settings.signin_max_per_address
    )
    throttle = Throttle(SqlThrottleCounters(engine), limits, clock)
    return Deps(
        settings=settings,
        clock=clock,
        engine=engine,
        store=store,
        ctx=ctx,
        keys=keys,
        sessions=Sessions(
            settings.subkey("session-cookie"),
            settings.secure_cookies,
            clock,
            BrowserSessions(engine),
        ),
        interactions=Interactions(engine),
        audit=audit,
        accounts=Accounts(engine),
        signins=PasswordCheck(store, throttle, audit, clock),
        services=services(engine, clock),
        # Jinja2Templates autoescapes .html templates: nothing a client sends reaches a page raw.
        templates=Jinja2Templates(directory=HERE / "templates"),
    )


def deps(conn: HTTPConnection) -> Deps:
    """The dependencies of the application serving this request."""
    found = conn.app.state.deps
    assert isinstance(found, Deps)
    return found
