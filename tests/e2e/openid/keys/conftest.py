"""Every signing-key test gets its own database (SQLite file, or a fresh PostgreSQL database) so
that its timeline of keys cannot disturb the shared test server's keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from tests.conftest import create_pg_database, drop_pg_database


@pytest.fixture
def db_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'keys.db'}"
        return
    db = create_pg_database()
    yield db.url
    drop_pg_database(db)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()
