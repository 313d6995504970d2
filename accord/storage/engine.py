"""Engines for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from accord.storage.guard import Timeouts, install


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


def make_engine(url: str, timeouts: Timeouts | None = None) -> Engine:
    """An engine on `url`. With `timeouts` (the server's engine) every connect and
    statement is bounded and guarded (accord.storage.guard); without (the CLI, migrations)
    statements may take as long as they need."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql" or parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        busy_ms = int((timeouts.statement if timeouts else 10.0) * 1000)
        engine = create_engine(parsed, pool_size=8, max_overflow=8)
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_ms=busy_ms))
    elif timeouts is None:
        engine = create_engine(parsed, pool_size=8, max_overflow=8, pool_recycle=3600)
    else:
        # No pre-ping: it would double the round trips of every request. A connection lost
        # in an outage opens the guard's breaker, and the pool made before the outage is
        # discarded when the database is back (guard.Guard._probe).
        engine = create_engine(
            parsed, pool_size=8, max_overflow=8, pool_recycle=3600,
            pool_timeout=timeouts.statement, connect_args=postgres_timeouts(timeouts),
        )
    if timeouts is not None:
        install(engine, timeouts)
    return engine


def postgres_timeouts(timeouts: Timeouts) -> dict[str, Any]:
    """libpq parameters bounding connects, statements and a silent network (keepalives,
    and tcp_user_timeout for data sent but never acknowledged)."""
    statement_ms = int(timeouts.statement * 1000)
    return {
        "connect_timeout": max(2, math.ceil(timeouts.connect)),  # libpq's minimum is 2
        "options": f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": int(timeouts.connect * 1000),
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_ms: int = 10000) -> None:
    # WAL lets readers run beside the one writer; NORMAL sync is durable in WAL mode
    # across application crashes; the busy timeout makes concurrent writers wait (no
    # longer than the server's statement timeout).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
