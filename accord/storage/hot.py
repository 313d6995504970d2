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
from collections import namedtuple
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.sql import Select


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

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
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
        for attempt in (1, 2):
            conn = self._connection()
            try:
                cursor = conn.cursor()
                try:
                    cursor.execute(prepared.sql, prepared.params(values))
                    return cursor.fetchone() if one else cursor.fetchall()
                finally:
                    cursor.close()
            except self._errors:
                # A dropped connection (database restart): open a new one and try once more.
                self._local.conn = None
                with contextlib.suppress(*self._errors):
                    conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
