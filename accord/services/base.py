"""What every use-case class shares: the engine, the clock and the audit trail."""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from accord.clock import Clock
from accord.protocol.messages import AuditEvent
from accord.services.actors import Actor, actor_label
from accord.storage.audit import record_in


class Service:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def _audit(
        self,
        conn: Connection,
        actor: Actor,
        event: str,
        *,
        org_pk: int | None = None,
        project_pk: int | None = None,
        client_id: str = "",
        user_pk: int | None = None,
        email: str = "",
        **detail: str,
    ) -> None:
        """One audit event for an administrative change, in the change's transaction."""
        pairs = (("actor", actor_label(conn, actor)), *sorted(detail.items()))
        record = AuditEvent(
            event=event, at=self.clock.now(), user_pk=user_pk, email=email, org_pk=org_pk,
            project_pk=project_pk, client_id=client_id, outcome="ok", detail=pairs,
        )
        record_in(conn, record)
