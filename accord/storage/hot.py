"""The hot reads: a few single-statement lookups on every token, tokeninfo and API request.

They run on one long-lived DBAPI connection per thread, in autocommit, with the
SQL compiled once from the same SQLAlchemy Core statements the rest of the store
uses. Checking a pooled connection out and back in costs far more than these
indexed lookups themselves (measured: ~130 µs against ~6 µs for SELECT 1 on
SQLite), and the event loop runs one request's queries at a time anyway.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import namedtuple
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.sql import Select

from accord.storage.guard import failure_kind, guard_of, notify


class Prepared:
    """A statement compiled once for the engine's dialect, run with named values; its rows
    are read by column name (the statement's column keys, so label clashing ones)."""

    def __init__(self, statement: Select[Any], engine: Engine) -> None:
        self.record: Any = namedtuple("Record", statement.selected_columns.keys())  # type: ignore[misc]
        compiled = statement.compile(dialect=engine.dialect)
        self.sql = str(compiled)
        self.positional = bool(engine.dialect.positional)
        self.order = list(compiled.positiontup or [])
        self.defaults = dict(compiled.params)  # literal binds such as a LIMIT

    def params(self, values: dict[str, Any]) -> Any:
        merged = {**self.defaults, **values}
        if self.positional:
            return tuple(merged[name] for name in self.order)
        return merged


class HotReads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._local = threading.local()
        self._errors = (engine.dialect.loaded_dbapi.Error,)
        self.guard = guard_of(engine)
        self._networked = engine.dialect.name != "sqlite"

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        guard = self.guard
        if conn is not None and guard is not None and self._local.generation != guard.generation:
            # Made before an outage (or during one): a new one, as pool_pre_ping would.
            with contextlib.suppress(*self._errors):
                conn.close()
            conn = self._local.conn = None
        if conn is None:
            if guard is not None:
                guard.check()
                self._local.generation = guard.generation
            proxied = self.engine.raw_connection()  # runs the engine's on-connect pragmas
            proxied.detach()  # ours for good: never returned to the pool
            conn = proxied.dbapi_connection
            if self.engine.dialect.name == "sqlite":
                conn.isolation_level = None  # type: ignore[union-attr]
            else:
                conn.autocommit = True  # type: ignore[union-attr]
            self._local.conn = conn
        return conn

    def first(self, prepared: Prepared, **values: Any) -> Any:
        """The first row (fields named after the columns), or None."""
        row = self._run(prepared, values, one=True)
        return None if row is None else prepared.record._make(row)

    def all(self, prepared: Prepared, **values: Any) -> list[Any]:
        return [prepared.record._make(row) for row in self._run(prepared, values, one=False)]

    def _run(self, prepared: Prepared, values: dict[str, Any], one: bool) -> Any:
        guard = self.guard
        for attempt in (1, 2):
            conn = self._connection()
            ticket = guard.start(conn.fileno() if self._networked else None) if guard else 0
            began = time.perf_counter()
            cut = False
            try:
                cursor = conn.cursor()
                try:
                    cursor.execute(prepared.sql, prepared.params(values))
                    return cursor.fetchone() if one else cursor.fetchall()
                finally:
                    cursor.close()
            except self._errors as error:
                # A dropped connection (database restart): open a new one and try once more,
                # unless the watchdog cut it (a black hole) or the database refuses work now.
                cut = guard is not None and guard.finish(ticket)
                self._local.conn = None
                with contextlib.suppress(*self._errors):
                    conn.close()
                kind = failure_kind(error)
                if kind is not None:
                    notify(f"error:{kind}", 0.0)
                if guard is not None and (cut or (kind == "connection" and attempt == 2)):
                    guard.trip("statement timeout" if cut else "connection lost")
                if attempt == 2 or cut or kind in ("timeout", "storage"):
                    raise
            finally:
                # Whatever happened, the statement is over: the watchdog must forget its
                # descriptor (which may soon belong to another socket).
                if guard is not None and not cut:
                    guard.finish(ticket)
                    notify("query", time.perf_counter() - began)
        raise AssertionError("unreachable")
