"""OAuth clients as the protocol reads them (``accord.protocol.ports.Clients``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select

from accord.protocol.messages import Client, ClientStatus
from accord.storage.hot import Prepared
from accord.storage.schema import client_secrets, clients, projects
from accord.storage.sqlbase import SqlBase

_CLIENT = select(
    clients.c.pk,
    clients.c.client_id,
    clients.c.project_pk,
    projects.c.project_id,
    projects.c.name.label("project_name"),
    clients.c.name,
    projects.c.app_name,
    clients.c.redirect_uris,
    clients.c.type,
    clients.c.disabled_at,
    clients.c.deleted_at,
    projects.c.user_type,
    projects.c.publishing_status,
    projects.c.org_pk,
).join(projects, projects.c.pk == clients.c.project_pk)

_SECRETS = select(client_secrets.c.secret_hash).where(
    client_secrets.c.client_pk == bindparam("key"), client_secrets.c.disabled_at.is_(None)
)


def client_status(row: Any) -> ClientStatus:
    """What a client row's ``disabled_at`` and ``deleted_at`` make it (deleted wins)."""
    if row.deleted_at is not None:
        return ClientStatus.DELETED
    if row.disabled_at is not None:
        return ClientStatus.DISABLED
    return ClientStatus.ACTIVE


def _client(row: Any, secrets: tuple[str, ...]) -> Client:
    return Client(
        pk=row.pk,
        client_id=row.client_id,
        project_pk=row.project_pk,
        project_id=row.project_id,
        project_name=row.app_name or row.project_name,
        name=row.name,
        secret_hashes=secrets,
        redirect_uris=tuple(json.loads(row.redirect_uris)),
        kind=row.type,
        status=client_status(row),
        user_type=row.user_type,
        testing=row.publishing_status == "testing",
        org_pk=row.org_pk,
    )


class SqlClients(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._client = Prepared(_CLIENT.where(clients.c.client_id == bindparam("key")),
                                self.engine)
        self._secrets = Prepared(_SECRETS, self.engine)

    def client(self, client_id: str) -> Client | None:
        row = self.hot.first(self._client, key=client_id)
        if row is None:
            return None
        secrets = tuple(r.secret_hash for r in self.hot.all(self._secrets, key=row.pk))
        return _client(row, secrets)
