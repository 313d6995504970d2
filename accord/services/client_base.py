"""What the client use cases share: finding a client the actor may see or change."""

from __future__ import annotations

import json
from typing import Any

from accord.services.actors import Actor, client_missing, client_row
from accord.services.base import Service
from accord.services.errors import ServiceError
from accord.services.ports import Rows
from accord.services.views import ClientView
from accord.storage.clients import client_status

RESTORE_WINDOW = 30 * 24 * 3600  # a deleted client can be restored for 30 days

def view(row: Any) -> ClientView:
    return ClientView(
        client_id=row.client_id, project_id=row.project_id, name=row.name, type=row.type,
        redirect_uris=tuple(json.loads(row.redirect_uris)),
        javascript_origins=tuple(json.loads(row.javascript_origins)),
        created_at=row.created_at, status=client_status(row).value, disabled_at=row.disabled_at,
        deleted_at=row.deleted_at,
        restorable_until=None if row.deleted_at is None else row.deleted_at + RESTORE_WINDOW,
    )

class ClientBase(Service):
    def _row(self, tx: Rows, actor: Actor, client_id: str, need: str) -> Any:
        """The client, unless it was deleted longer ago than it can be restored."""
        row = client_row(tx, actor, client_id, need)
        if row.deleted_at is not None and self.clock.now() - row.deleted_at > RESTORE_WINDOW:
            raise client_missing(client_id)
        return row

    def _live(self, tx: Rows, actor: Actor, client_id: str) -> Any:
        """The client for a change (editors); a deleted one must be restored first."""
        row = self._row(tx, actor, client_id, "editor")
        if row.deleted_at is not None:
            raise ServiceError(f"Client {client_id} is deleted; restore it first")
        return row

    def _reload(self, tx: Rows, client_pk: int) -> ClientView:
        return view(tx.client_by_pk(client_pk))
