"""Engines for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url


class DatabaseURLError(ValueError):
    """ACCORD_DATABASE_URL names no database Accord can open; the message says why."""


@contextmanager
def database_url_errors(url: str) -> Iterator[None]:
    """Turns a database that cannot be opened (an unknown scheme, an unreachable host, a
    path that cannot be created) into one DatabaseURLError naming the setting."""
    try:
        yield
    except (exc.ArgumentError, exc.NoSuchModuleError, exc.OperationalError,
            exc.InterfaceError, ImportError) as cause:
        raise DatabaseURLError(
            f"ACCORD_DATABASE_URL {_shown(url)} cannot be opened: {_first_line(cause)}"
        ) from None


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return repr(url)


def _first_line(cause: Exception) -> str:
    text = str(getattr(cause, "orig", None) or cause).strip()
    line = text.splitlines()[0] if text else type(cause).__name__
    return line.rstrip(".") + "."


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'accord.db'}"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.drivername == "postgresql" or parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, pool_size=8, max_overflow=8)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping: it would double the round trips of every request. A connection the
    # server dropped fails one request (500 internal_failure, which Google's libraries
    # retry) and SQLAlchemy then discards the whole stale pool.
    return create_engine(parsed, pool_size=8, max_overflow=8, pool_recycle=3600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; NORMAL sync is durable in WAL mode
    # across application crashes; the busy timeout makes concurrent writers wait.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
