"""The stores on a migrated database per backend (the ``database_url`` parametrisation:
SQLite always, PostgreSQL when reachable)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from accord.clock import SystemClock
from accord.services import Admin
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from accord.storage.schema import clients, users
from accord.storage.sql import SqlStore


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    return SqlStore(engine)


@pytest.fixture
def ids(engine: Engine) -> tuple[int, int, int]:
    """(user pk, client pk, project pk) of fresh rows."""
    admin = Admin(engine, SystemClock())
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    admin.create_user(email, "password1")
    project = "p-" + uuid.uuid4().hex[:10]
    admin.create_project(project)
    new = admin.create_client(project, "web", ["https://app.example.com/cb"])
    with engine.connect() as conn:
        user_pk = conn.execute(select(users.c.pk).where(users.c.email == email)).scalar_one()
        row = conn.execute(
            select(clients.c.pk, clients.c.project_pk).where(clients.c.client_id == new.client_id)
        ).one()
    return user_pk, row[0], row[1]
