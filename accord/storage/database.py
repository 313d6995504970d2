"""The typed handle on the database that services and stores are built from.

``Database.open(url)`` makes one; ``begin()`` and ``connect()`` give the administrative
use cases their rows (:class:`accord.storage.admin.Rows`) inside one transaction, or
one connection, per call. A unique-constraint violation surfaces as :class:`Duplicate`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError

from accord.storage.engine import make_engine
from accord.storage.schema import clients, service_account_keys, service_accounts

if TYPE_CHECKING:
    from accord.storage.admin import Rows

# The stores take a Database (or, while callers move over, an Engine); they import this
# module, so what this module needs of them is imported where it is used.


class Duplicate(Exception):
    """A row with the same unique key exists (perhaps written concurrently)."""


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

    @contextmanager
    def begin(self) -> Iterator[Rows]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        from accord.storage.admin import Rows

        try:
            with self.engine.begin() as conn:
                yield Rows(conn)
        except IntegrityError as error:
            raise Duplicate(str(error)) from error

    @contextmanager
    def connect(self) -> Iterator[Rows]:
        """Reads on one connection."""
        from accord.storage.admin import Rows

        with self.engine.connect() as conn:
            yield Rows(conn)

    def recent_events(self, **where: Any) -> list[dict[str, Any]]:
        from accord.storage.audit import AuditLog

        return AuditLog(self.engine).recent(**where)

    def purge_deleted_clients(self, before: int) -> int:
        """Remove the clients deleted before `before`; how many."""
        with self.engine.begin() as conn:
            gone = conn.execute(delete(clients).where(clients.c.deleted_at < before))
        return int(gone.rowcount)

    def purge_deleted_service_accounts(self, before: int, now: int) -> int:
        """Remove the service accounts deleted before `before` (their keys, policies and
        tokens go with them) and system-managed keys no longer valid at `now`; how many
        accounts."""
        keys = service_account_keys
        with self.engine.begin() as conn:
            gone = conn.execute(
                delete(service_accounts).where(service_accounts.c.deleted_at < before)
            )
            conn.execute(delete(keys).where(
                keys.c.key_type == "SYSTEM_MANAGED", keys.c.valid_before < now
            ))
        return int(gone.rowcount)

    def dispose(self) -> None:
        self.engine.dispose()


Handle = Database | Engine  # an Engine is accepted while callers move to Database


def database(handle: Handle) -> Database:
    return handle if isinstance(handle, Database) else Database(handle)


def engine_of(handle: Handle) -> Engine:
    return handle.engine if isinstance(handle, Database) else handle
