"""What every use-case class shares: the database, the clock and the audit trail."""

from __future__ import annotations

from accord.clock import Clock
from accord.protocol.messages import AuditEvent
from accord.services.actors import Actor, actor_label
from accord.services.ports import Ledger, Rows
from accord.storage.database import Handle, database


class Service:
    def __init__(self, db: Handle, clock: Clock) -> None:
        self.db: Ledger = database(db)
        self.clock = clock

    def _audit(
        self,
        tx: Rows,
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
        pairs = (("actor", actor_label(tx, actor)), *sorted(detail.items()))
        record = AuditEvent(
            event=event, at=self.clock.now(), user_pk=user_pk, email=email, org_pk=org_pk,
            project_pk=project_pk, client_id=client_id, outcome="ok", detail=pairs,
        )
        tx.record(record)
