"""OAuth clients and their secrets, as the console and the CLI manage them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update

from accord.storage.admin.base import RowsBase
from accord.storage.schema import client_secrets as S
from accord.storage.schema import clients, projects


class ClientRows(RowsBase):
    def insert_client(self, **values: Any) -> int:
        return int(self.conn.execute(
            insert(clients).values(**values).returning(clients.c.pk)
        ).scalar_one())

    def clients_of(self, project_pk: int) -> list[Any]:
        """The project's client rows with project_id, oldest first."""
        return list(self.conn.execute(
            select(clients, projects.c.project_id)
            .join(projects, projects.c.pk == clients.c.project_pk)
            .where(clients.c.project_pk == project_pk)
            .order_by(clients.c.created_at, clients.c.pk)
        ).all())

    def client_by_pk(self, client_pk: int) -> Any:
        return self.conn.execute(
            select(clients, projects.c.project_id)
            .join(projects, projects.c.pk == clients.c.project_pk)
            .where(clients.c.pk == client_pk)
        ).one()

    def update_client(self, client_pk: int, values: dict[str, Any]) -> None:
        self.conn.execute(update(clients).where(clients.c.pk == client_pk).values(values))

    # Secrets
    def insert_secret(self, client_pk: int, secret_hash: str, hint: str, at: int) -> int:
        return int(self.conn.execute(insert(S).values(
            client_pk=client_pk, secret_hash=secret_hash, hint=hint, created_at=at,
        ).returning(S.c.pk)).scalar_one())

    def enabled_secrets(self, client_pk: int) -> int:
        return int(self.conn.execute(
            select(func.count()).where(S.c.client_pk == client_pk, S.c.disabled_at.is_(None))
        ).scalar_one())

    def enabled_secret_hashes(self, client_pk: int) -> list[str]:
        return list(self.conn.execute(
            select(S.c.secret_hash).where(S.c.client_pk == client_pk, S.c.disabled_at.is_(None))
        ).scalars().all())

    def secret(self, pk: int, client_pk: int) -> Any:
        return self.conn.execute(select(S).where(S.c.pk == pk, S.c.client_pk == client_pk)).first()

    def secrets_of(self, client_pk: int) -> list[Any]:
        return list(self.conn.execute(
            select(S).where(S.c.client_pk == client_pk).order_by(S.c.created_at, S.c.pk)
        ).all())

    def set_secret_disabled(self, pk: int, at: int | None) -> None:
        self.conn.execute(update(S).where(S.c.pk == pk).values(disabled_at=at))

    def delete_secret(self, pk: int) -> None:
        self.conn.execute(delete(S).where(S.c.pk == pk))
