"""What every SQL store of ``accord.protocol.ports`` shares: the engine, an autocommit
reader and the hot-read connection. One transaction per call."""

from __future__ import annotations

from dataclasses import dataclass

from accord.storage.database import Handle, engine_of
from accord.storage.hot import HotReads


@dataclass(frozen=True)
class RefreshLimits:
    """Live refresh tokens a user may hold (reference §1.3.3): 100 per client, and a larger
    number across all clients (Google's is undocumented; configurable here)."""

    per_client: int = 100
    per_user: int = 1000


def split(scopes: str) -> tuple[str, ...]:
    return tuple(scopes.split()) if scopes else ()


class SqlBase:
    def __init__(self, db: Handle, limits: RefreshLimits = RefreshLimits()) -> None:
        self.engine = engine = engine_of(db)
        self.limits = limits
        # Single-statement reads run in autocommit on PostgreSQL: no BEGIN/ROLLBACK round
        # trips. (On SQLite switching the level per checkout costs more than it saves.)
        # Writes use engine.begin(). The hottest reads go through HotReads.
        self.reader = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.hot = HotReads(engine)
        self._prepare()

    def _prepare(self) -> None:
        """Compile the hot statements (each store adds its own, then calls super)."""
