"""Where the command line builds what its commands work on: the migrated database, every
use case (in :func:`services`, the one place), and the ID-token key ring (as the server
builds it). Imported only by the commands that need them: it loads the database layer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accord import composition
from accord.clock import SystemClock
from accord.services import (
    Actor,
    Admin,
    Clients,
    Delegations,
    Member,
    NotFound,
    Operator,
    Organizations,
    Projects,
    ServiceAccounts,
    Users,
)
from accord.settings import Settings
from accord.storage.cli_accounts import CliAccounts
from accord.storage.database import Database
from accord.storage.engine import database_url_errors
from accord.storage.keys import SqlKeyRing
from accord.storage.migrate import upgrade


@dataclass(frozen=True)
class Services:
    """The use cases on one database, and the actor the commands act as."""

    projects: Projects
    clients: Clients
    orgs: Organizations
    users: Users
    admin: Admin  # the operator's facade (the demo)
    accounts: CliAccounts  # what no use case offers (--as, the demo's password reset)
    actor: Actor
    close: Callable[[], None]  # releases the database connections
    service_accounts: ServiceAccounts
    delegation: Delegations


def _open(settings: Settings) -> Database:
    """The database, migrated; a URL naming none that opens is one DatabaseURLError."""
    with database_url_errors(settings.database_url):
        db = Database.open(settings.database_url)
        upgrade(db)
    return db


def migrate(settings: Settings) -> None:
    """Apply the database migrations."""
    _open(settings).dispose()


def services(settings: Settings, as_email: str | None = None) -> Services:
    """The use cases, acting as the local operator, or (``--as EMAIL``) as that account with
    only its memberships, as the console and the admin API would."""
    db = _open(settings)
    built = composition.services(db, SystemClock())
    accounts = CliAccounts(db)
    actor: Actor = Operator()
    if as_email:
        pk = accounts.user_pk(as_email)
        if pk is None:
            raise NotFound(f"User {as_email} not found")
        actor = Member(pk)
    return Services(built.projects, built.clients, built.orgs, built.users, built.admin,
                    accounts, actor, db.dispose, built.service_accounts, built.delegation)


def key_ring(settings: Settings) -> SqlKeyRing:
    """The key ring exactly as the server builds it: certificates named after the issuer."""
    db = _open(settings)
    return composition.key_ring(settings, db)
