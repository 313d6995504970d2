"""The SQL implementation of ``accord.protocol.ports.Store``: one store per artefact,
composed; one transaction per call."""

from __future__ import annotations

from accord.protocol.messages import AuditEvent
from accord.storage.audit import record_in
from accord.storage.authorizations import SqlAuthorizations
from accord.storage.clients import SqlClients
from accord.storage.codes import SqlCodes
from accord.storage.grants import SqlGrants
from accord.storage.policies import SqlPolicies
from accord.storage.projects import SqlProjects
from accord.storage.schema import browser_sessions, codes, interactions
from accord.storage.sqlbase import RefreshLimits, SqlBase
from accord.storage.subjects import SqlSubjects
from accord.storage.users import SqlUsers


class SqlAudit(SqlBase):
    def record(self, event: AuditEvent) -> None:
        with self.engine.begin() as conn:
            record_in(conn, event)


class SqlStore(
    SqlClients, SqlUsers, SqlGrants, SqlCodes, SqlAuthorizations, SqlProjects, SqlPolicies,
    SqlAudit, SqlSubjects,
):
    def purge(self, now: int, keep: int = 24 * 3600) -> int:
        """Delete codes and interactions that expired more than ``keep`` seconds ago.

        A code past its lifetime can only be refused, so its row has no use left; the
        day of grace keeps replays of recently used codes answered as replays."""
        with self.engine.begin() as conn:
            deleted = conn.execute(codes.delete().where(codes.c.expires_at < now - keep))
            gone = conn.execute(
                interactions.delete().where(interactions.c.expires_at < now - keep)
            )
            # A session cookie lives 14 days from its last change.
            idle = conn.execute(
                browser_sessions.delete().where(
                    browser_sessions.c.updated_at < now - 14 * 24 * 3600 - keep
                )
            )
        return int(deleted.rowcount + gone.rowcount + idle.rowcount)


__all__ = ["RefreshLimits", "SqlStore"]
