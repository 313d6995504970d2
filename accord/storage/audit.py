"""The audit log administrators read: sign-ins, consents, revocations, policy decisions.

One row per :class:`accord.protocol.messages.AuditEvent`; ``detail`` holds the event's
extra pairs as a JSON object. Rows outlive the accounts they name (no foreign keys).
Newest first; page with ``before_pk`` (the smallest ``pk`` of the previous page).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert, select

from accord.protocol.messages import AuditEvent
from accord.storage.database import Handle, engine_of
from accord.storage.schema import audit_events as t

_MAX_LIMIT = 1000


class AuditLog:
    def __init__(self, db: Handle) -> None:
        self._engine = engine_of(db)

    def record(self, event: AuditEvent) -> None:
        with self._engine.begin() as conn:
            record_in(conn, event)

    def recent(
        self,
        org_pk: int | None = None,
        user_pk: int | None = None,
        limit: int = 100,
        before_pk: int | None = None,
    ) -> list[dict[str, Any]]:
        """The newest events (optionally of one organization and/or one account)."""
        query = select(t).order_by(t.c.pk.desc()).limit(max(1, min(limit, _MAX_LIMIT)))
        if org_pk is not None:
            query = query.where(t.c.org_pk == org_pk)
        if user_pk is not None:
            query = query.where(t.c.user_pk == user_pk)
        if before_pk is not None:
            query = query.where(t.c.pk < before_pk)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_event(dict(row)) for row in rows]


def record_in(conn: Connection, event: AuditEvent) -> None:
    """Write the event inside the caller's transaction (with the change it describes)."""
    conn.execute(insert(t).values(**_row(event)))


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "event": event.event[:64],
        "user_pk": event.user_pk,
        "email": event.email[:320],
        "org_pk": event.org_pk,
        "project_pk": event.project_pk,
        "client_id": event.client_id[:128],
        "address": event.address[:64],
        "outcome": event.outcome[:64],
        "detail": json.dumps(dict(event.detail), sort_keys=True),
    }


def _event(row: dict[str, Any]) -> dict[str, Any]:
    try:
        detail = json.loads(row["detail"] or "{}")
    except ValueError:
        detail = {}
    row["detail"] = detail if isinstance(detail, dict) else {}
    return row
