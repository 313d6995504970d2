"""Who may act: project roles, organization admins, and the audit trail of changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from accord.protocol.messages import AuditEvent
from accord.storage.admin.base import RowsBase
from accord.storage.audit import record_in
from accord.storage.schema import (
    clients,
    org_admins,
    organizations,
    project_members,
    projects,
    users,
)


class AccessRows(RowsBase):
    def member_role(self, project_pk: int, user_pk: int) -> str | None:
        """The role of an enabled account on the project."""
        role = self.conn.execute(
            select(project_members.c.role)
            .join(users, users.c.pk == project_members.c.user_pk)
            .where(
                project_members.c.project_pk == project_pk,
                project_members.c.user_pk == user_pk,
                users.c.disabled_at.is_(None),
            )
        ).scalar()
        return None if role is None else str(role)

    def project_key(self, project_id: str) -> Any:
        """(pk, org_pk) of the project, or None."""
        return self.conn.execute(
            select(projects.c.pk, projects.c.org_pk).where(projects.c.project_id == project_id)
        ).first()

    def client_by_id(self, client_id: str) -> Any:
        """The client's row with project_id and org_pk, or None."""
        return self.conn.execute(
            select(clients, projects.c.project_id, projects.c.org_pk)
            .join(projects, projects.c.pk == clients.c.project_pk)
            .where(clients.c.client_id == client_id)
        ).first()

    def org_pk_of(self, org_id: str) -> int | None:
        pk = self.conn.execute(
            select(organizations.c.pk).where(organizations.c.org_id == org_id)
        ).scalar()
        return None if pk is None else int(pk)

    def is_enabled_org_admin(self, org_pk: int, user_pk: int) -> bool:
        return self.conn.execute(
            select(org_admins.c.user_pk)
            .join(users, users.c.pk == org_admins.c.user_pk)
            .where(
                org_admins.c.org_pk == org_pk,
                org_admins.c.user_pk == user_pk,
                users.c.disabled_at.is_(None),
            )
        ).first() is not None

    def is_org_admin(self, org_pk: int, user_pk: int) -> bool:
        """Whether the account is listed as an admin (enabled or not)."""
        return self.conn.execute(
            select(org_admins.c.user_pk).where(
                org_admins.c.org_pk == org_pk, org_admins.c.user_pk == user_pk
            )
        ).first() is not None

    def user_email(self, user_pk: int) -> str | None:
        email = self.conn.execute(select(users.c.email).where(users.c.pk == user_pk)).scalar()
        return None if email is None else str(email)

    def record(self, event: AuditEvent) -> None:
        """The audit event, in this transaction (with the change it describes)."""
        record_in(self.conn, event)
