"""Keeping a worker answering while its database is away.

Database calls run on the event loop (README, "Sync database calls inside async
endpoints"), so a stuck query would freeze the whole worker. Instead of moving every
query to a thread, each one is bounded and failures are short-circuited:

- every statement has a deadline: PostgreSQL's ``statement_timeout`` on the server, and
  a watchdog thread here that shuts the socket of a statement still waiting past it plus
  a grace second (a black-holed network never answers, so only the client can stop
  waiting); connects are bounded by ``connect_timeout`` and TCP's ``tcp_user_timeout``;
- a lost connection (refused, reset, timed out) opens the breaker: every later statement
  and connect fails at once with :class:`DatabaseUnavailable` (503 with Retry-After)
  instead of waiting again, while a background thread probes the database each second;
- when the probe succeeds, the breaker closes and the pool and every hot connection made
  before the outage are discarded (``generation``), so no request meets a dead one.

SQLite has no network: its writers wait at most the statement timeout (busy timeout);
a read-only or full database fails each write at once, answered 503 without opening the
breaker, since reads still work.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import socket
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext

log = logging.getLogger("accord.database")

PROBE_EVERY = 1.0
GRACE = 1.0  # seconds the client waits past the server's statement_timeout

# Observers of statements and failures (accord.ops.metrics adds one): (event, seconds).
# Events: "query" with its duration; "error:<kind>" with 0.
observers: list[Callable[[str, float], None]] = []


@dataclass(frozen=True)
class Timeouts:
    connect: float = 3.0
    statement: float = 5.0


class DatabaseUnavailable(Exception):
    """The database cannot be reached now; answered 503 with Retry-After."""


class Guard:
    """The breaker and the statement watchdog of one engine."""

    def __init__(self, engine: Engine, timeouts: Timeouts) -> None:
        self._engine = weakref.ref(engine)
        self.timeouts = timeouts
        self.networked = engine.dialect.name != "sqlite"
        self.down_since: float | None = None
        self.generation = 0  # bumped when the database goes away and when it is back
        self._lock = threading.Lock()
        self._local = threading.local()
        self._inflight: dict[int, tuple[float, int]] = {}  # ticket -> (deadline, fd)
        self._killed: set[int] = set()
        self._tickets = itertools.count()
        self._watchdog: threading.Thread | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def check(self) -> None:
        """Fail fast while the database is known to be down (the probe itself may pass)."""
        if self.down_since is not None and not getattr(self._local, "probing", False):
            raise DatabaseUnavailable("the database is unreachable")

    # Statements ----------------------------------------------------------------------
    def start(self, fd: int | None) -> int:
        ticket = next(self._tickets)
        if fd is not None and self.networked:
            self._inflight[ticket] = (time.monotonic() + self.timeouts.statement + GRACE, fd)
            if self._watchdog is None:
                self._start_watchdog()
        return ticket

    def finish(self, ticket: int) -> bool:
        """Forget the statement; whether the watchdog had to cut it."""
        self._inflight.pop(ticket, None)
        if ticket in self._killed:
            self._killed.discard(ticket)
            return True
        return False

    @contextlib.contextmanager
    def statement(self, fd: int | None) -> Iterator[None]:
        ticket = self.start(fd)
        began = time.perf_counter()
        try:
            yield
        except BaseException:
            self.finish(ticket)
            raise
        self.finish(ticket)
        notify("query", time.perf_counter() - began)

    def _start_watchdog(self) -> None:
        with self._lock:
            if self._watchdog is None:
                self._watchdog = threading.Thread(
                    target=self._watch, name="accord-db-watchdog", daemon=True
                )
                self._watchdog.start()

    def _watch(self) -> None:
        while self._engine() is not None:
            time.sleep(0.2)
            now = time.monotonic()
            for ticket, (deadline, fd) in list(self._inflight.items()):
                if now >= deadline and self._inflight.pop(ticket, None) is not None:
                    self._killed.add(ticket)
                    log.warning("a database statement ran past its deadline; cutting it")
                    _cut(fd)

    # The breaker -----------------------------------------------------------------------
    def trip(self, why: str) -> None:
        if not self.networked:
            return
        with self._lock:
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
            self.generation += 1
        notify("error:breaker_open", 0.0)
        log.error("database unreachable (%s); answering 503 until it is back", why)
        threading.Thread(target=self._probe, name="accord-db-probe", daemon=True).start()

    def _probe(self) -> None:
        self._local.probing = True
        while (engine := self._engine()) is not None:
            engine.dispose()  # the pool's connections predate the outage
            del engine
            time.sleep(PROBE_EVERY)
            if self.ping():
                break
        with self._lock:
            self.down_since = None
            self.generation += 1
        log.warning("database reachable again")

    def ping(self) -> bool:
        """One bounded round trip on a fresh connection (the probe and /readyz)."""
        engine = self._engine()
        if engine is None:
            return False
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception as error:
            log.debug("database probe failed: %s", error)
            return False


def _cut(fd: int) -> None:
    """Shut the socket down under libpq: the statement waiting on it fails at once."""
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    finally:
        sock.detach()  # the descriptor stays libpq's


def notify(name: str, seconds: float) -> None:
    for observer in observers:
        with contextlib.suppress(Exception):
            observer(name, seconds)


_GUARDS: weakref.WeakKeyDictionary[Engine, Guard] = weakref.WeakKeyDictionary()


def guard_of(engine: Engine) -> Guard | None:
    return _GUARDS.get(engine)


def install(engine: Engine, timeouts: Timeouts) -> Guard:
    """Bound and short-circuit every connect and statement of `engine`."""
    guard = Guard(engine, timeouts)
    _GUARDS[engine] = guard

    def do_connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> None:
        guard.check()

    # A statement runs start to end on one thread, so its ticket is kept per thread (an
    # invalidated connection can no longer be asked for its info).
    def before(conn: Any, cursor: Any, statement: Any, params: Any, ctx: Any, many: Any) -> None:
        guard.check()
        fd = conn.connection.dbapi_connection.fileno() if guard.networked else None
        guard._local.ticket = (guard.start(fd), time.perf_counter())

    def after(conn: Any, cursor: Any, statement: Any, params: Any, ctx: Any, many: Any) -> None:
        ticket, began = getattr(guard._local, "ticket", None) or (None, 0.0)
        guard._local.ticket = None
        if ticket is not None:
            guard.finish(ticket)
            notify("query", time.perf_counter() - began)

    def on_error(context: ExceptionContext) -> None:
        ticket, _ = getattr(guard._local, "ticket", None) or (None, 0.0)
        guard._local.ticket = None
        cut = ticket is not None and guard.finish(ticket)
        if isinstance(context.original_exception, DatabaseUnavailable):
            return  # the breaker is open already
        kind = failure_kind(context.original_exception)
        if kind is None:
            return
        notify(f"error:{kind}", 0.0)
        if cut or context.is_disconnect or context.connection is None or kind == "connection":
            guard.trip(kind if not cut else "statement timeout")

    event.listen(engine, "do_connect", do_connect)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "handle_error", on_error)
    return guard


# Which failures mean "the database is unavailable" ------------------------------------
_SQLITE_BUSY = ("locked", "busy", "readonly", "read-only", "full", "disk i/o", "unable to open")


def failure_kind(error: BaseException) -> str | None:
    """'connection', 'timeout' or 'storage' when `error` means the database cannot serve
    the request now (worth a 503 and a retry); None for anything else (a bug, a 500)."""
    if isinstance(error, DatabaseUnavailable):
        return "connection"
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection came free in time
        return "timeout"
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return "connection"
        return failure_kind(error.orig) if error.orig is not None else None
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        return "storage" if any(word in text for word in _SQLITE_BUSY) else None
    return _postgres_kind(error)


def _postgres_kind(error: BaseException) -> str | None:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if isinstance(error, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable):
        return "timeout"
    if isinstance(error, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow):
        return "connection"
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return "connection"
    return None


def unavailable(error: BaseException) -> bool:
    """Whether `error`, or what caused it, means the database is unavailable."""
    seen: BaseException | None = error
    for _ in range(4):
        if seen is None:
            return False
        if failure_kind(seen) is not None:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
