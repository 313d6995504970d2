"""The services on a database of their own (SQLite always, PostgreSQL when reachable),
with a frozen clock, so that moving time and purging touch no other test's rows."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select

from accord.clock import FrozenClock
from accord.services import Clients, Member, Operator, Organizations, Projects, Users
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from accord.storage.schema import users
from tests.conftest import (
    BACKENDS,
    create_pg_database,
    drop_pg_database,
    postgres_available,
)

NOW = 1_800_000_000
PASSWORD = "password-1"
OPERATOR = Operator()


@pytest.fixture(scope="session", params=BACKENDS)
def services_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('services') / 'a.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI")
        pytest.skip("PostgreSQL is not reachable")
    db = create_pg_database()
    engine = make_engine(db.url)
    upgrade(engine)
    yield engine
    engine.dispose()
    drop_pg_database(db)


@dataclass
class Svc:
    engine: Engine
    clock: FrozenClock
    users: Users
    projects: Projects
    clients: Clients
    orgs: Organizations

    def new_user(self, email: str | None = None, domain: str = "example.com") -> Member:
        email = email or f"u-{uuid.uuid4().hex[:10]}@{domain}"
        self.users.create(OPERATOR, email, PASSWORD)
        return self.member(email)

    def member(self, email: str) -> Member:
        with self.engine.connect() as conn:
            return Member(conn.execute(select(users.c.pk).where(users.c.email == email))
                          .scalar_one())

    def email(self, member: Member) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(
                select(users.c.email).where(users.c.pk == member.user_pk)
            ).scalar_one())


@pytest.fixture
def svc(services_engine: Engine) -> Svc:
    clock = FrozenClock(NOW)
    e = services_engine
    return Svc(e, clock, Users(e, clock), Projects(e, clock), Clients(e, clock),
               Organizations(e, clock))


def new_project_id() -> str:
    return "p-" + uuid.uuid4().hex[:12]


def new_domain() -> str:
    return f"org{uuid.uuid4().hex[:10]}.com"
