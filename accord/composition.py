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

from starlette.requests import HTTPConnection
from starlette.templating import Jinja2Templates

from accord.clock import Clock, SystemClock
from accord.google import identifiers, paths, scopes
from accord.interaction.session import Sessions
from accord.interaction.store import Interactions
from accord.interaction.throttle import Limits, PasswordCheck, Throttle
from accord.protocol.authorize import ScopePolicy
from accord.protocol.context import Context
from accord.protocol.id_token import IdTokens
from accord.protocol.tokens import TokenMinter
from accord.services import (
    Admin,
    Clients,
    Delegations,
    Organizations,
    Projects,
    ServiceAccounts,
    Users,
)
from accord.services.signup import SignUp
from accord.settings import Settings
from accord.storage.accounts import Accounts, SqlThrottleCounters
from accord.storage.audit import AuditLog
from accord.storage.database import Database, Handle, database
from accord.storage.interactions import SqlBrowserSessions, SqlInteractions
from accord.storage.keys import SqlKeyRing
from accord.storage.service_accounts import SqlServiceAccounts
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
    service_accounts: ServiceAccounts  # accounts, keys, IAM policies
    delegation: Delegations  # organizations' domain-wide delegation


def services(db: Handle, clock: Clock) -> Services:
    db = database(db)
    users = Users(db, clock)
    return Services(
        Projects(db, clock),
        Clients(db, clock),
        Organizations(db, clock),
        users,
        Admin(db, clock),
        SignUp(users, Accounts(db).org_of_domain),
        ServiceAccounts(db, clock),
        Delegations(db, clock),
    )


@dataclass(frozen=True)
class Deps:
    """What the application is made of. One per process, shared by every request."""

    settings: Settings
    clock: Clock
    db: Database
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


def key_ring(settings: Settings, db: Handle) -> SqlKeyRing:
    """The ID-token key ring; its certificates are named after the issuer's host."""
    return SqlKeyRing(
        db,
        settings.subkey("signing-keys"),
        settings.key_policy,
        common_name=urlsplit(settings.issuer).hostname or "accord",
    )


def build(settings: Settings, clock: Clock | None = None, db: Handle | None = None) -> Deps:
    """`db` defaults to the settings' database (an Engine is accepted while callers move)."""
    db = Database.open(settings.database_url) if db is None else database(db)
    clock = clock or SystemClock()
    keys = key_ring(settings, db)
    store = SqlStore(
        db, RefreshLimits(settings.refresh_tokens_per_client, settings.refresh_tokens_per_user)
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
        service_accounts=SqlServiceAccounts(db, settings.subkey("service-account-keys")),
        assertion_audiences=paths.assertion_audiences(settings.issuer),
    )
    audit = AuditLog(db)
    limits = Limits(
        settings.signin_window, settings.signin_max_per_account, settings.signin_max_per_address
    )
    throttle = Throttle(SqlThrottleCounters(db), limits, clock)
    return Deps(
        settings=settings,
        clock=clock,
        db=db,
        store=store,
        ctx=ctx,
        keys=keys,
        sessions=Sessions(
            settings.subkey("session-cookie"),
            settings.secure_cookies,
            clock,
            SqlBrowserSessions(db),
        ),
        interactions=Interactions(SqlInteractions(db)),
        audit=audit,
        accounts=Accounts(db),
        signins=PasswordCheck(store, throttle, audit, clock),
        services=services(db, clock),
        # Jinja2Templates autoescapes .html templates: nothing a client sends reaches a page raw.
        templates=Jinja2Templates(directory=HERE / "templates"),
    )


def deps(conn: HTTPConnection) -> Deps:
    """The dependencies of the application serving this request."""
    found = conn.app.state.deps
    assert isinstance(found, Deps)
    return found
