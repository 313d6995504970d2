"""Organizations: their domains, admins and API controls."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select

from accord.storage.admin.base import RowsBase
from accord.storage.schema import (
    clients,
    org_admins,
    org_app_access,
    org_domains,
    org_restricted_apis,
    organizations,
    projects,
    users,
)

_A = org_app_access
_R = org_restricted_apis


class OrgRows(RowsBase):
    def org_row(self, pk: int) -> Any:
        return self.conn.execute(select(organizations).where(organizations.c.pk == pk)).one()

    def org_domains(self, pk: int) -> list[str]:
        """The organization's domains, oldest first."""
        return list(self.conn.execute(
            select(org_domains.c.domain).where(org_domains.c.org_pk == pk).order_by(
                org_domains.c.created_at, org_domains.c.domain
            )
        ).scalars())

    def domains_unordered(self, pk: int) -> list[str]:
        return list(self.conn.execute(
            select(org_domains.c.domain).where(org_domains.c.org_pk == pk)
        ).scalars())

    def insert_org(self, org_id: str, name: str, at: int) -> int:
        return int(self.conn.execute(insert(organizations).values(
            org_id=org_id, name=name, created_at=at
        ).returning(organizations.c.pk)).scalar_one())

    def insert_domain(self, org_pk: int, domain: str, at: int) -> None:
        self.conn.execute(insert(org_domains).values(domain=domain, org_pk=org_pk,
                                                     created_at=at))

    def delete_domain(self, org_pk: int, domain: str) -> int:
        gone = self.conn.execute(delete(org_domains).where(
            org_domains.c.org_pk == org_pk, org_domains.c.domain == domain
        ))
        return int(gone.rowcount)

    def org_pks(self, admin_pk: int | None = None) -> list[int]:
        """Every organization's pk by org_id; only those `admin_pk` administers if given."""
        query = select(organizations.c.pk).order_by(organizations.c.org_id)
        if admin_pk is not None:
            query = query.join(org_admins, org_admins.c.org_pk == organizations.c.pk).where(
                org_admins.c.user_pk == admin_pk
            )
        return [int(pk) for pk in self.conn.execute(query).scalars()]

    # Admins
    def admin_users(self, org_pk: int) -> list[Any]:
        return list(self.conn.execute(
            select(users).join(org_admins, org_admins.c.user_pk == users.c.pk)
            .where(org_admins.c.org_pk == org_pk).order_by(users.c.email)
        ).all())

    def insert_admin(self, org_pk: int, user_pk: int, at: int) -> None:
        self.conn.execute(insert(org_admins).values(org_pk=org_pk, user_pk=user_pk,
                                                    created_at=at))

    def admin_count(self, org_pk: int) -> int:
        return int(self.conn.execute(
            select(func.count()).where(org_admins.c.org_pk == org_pk)
        ).scalar_one())

    def delete_admin(self, org_pk: int, user_pk: int) -> int:
        gone = self.conn.execute(delete(org_admins).where(
            org_admins.c.org_pk == org_pk, org_admins.c.user_pk == user_pk
        ))
        return int(gone.rowcount)

    # API controls
    def app_access(self, org_pk: int) -> list[Any]:
        """client_id, access, updated_at, app_name, name (of the client's project)."""
        return list(self.conn.execute(
            select(_A, projects.c.app_name, projects.c.name)
            .outerjoin(clients, clients.c.client_id == _A.c.client_id)
            .outerjoin(projects, projects.c.pk == clients.c.project_pk)
            .where(_A.c.org_pk == org_pk)
            .order_by(_A.c.client_id)
        ).all())

    def client_exists(self, client_id: str) -> bool:
        return self.conn.execute(
            select(clients.c.pk).where(clients.c.client_id == client_id)
        ).first() is not None

    def set_app_access(self, org_pk: int, client_id: str, access: str, at: int) -> None:
        self.conn.execute(delete(_A).where(_A.c.org_pk == org_pk, _A.c.client_id == client_id))
        self.conn.execute(insert(_A).values(
            org_pk=org_pk, client_id=client_id, access=access, updated_at=at
        ))

    def restricted_apis(self, org_pk: int) -> list[str]:
        return list(self.conn.execute(
            select(_R.c.api).where(_R.c.org_pk == org_pk).order_by(_R.c.api)
        ).scalars())

    def is_restricted(self, org_pk: int, api: str) -> bool:
        return self.conn.execute(
            select(_R.c.api).where(_R.c.org_pk == org_pk, _R.c.api == api)
        ).first() is not None

    def restrict(self, org_pk: int, api: str, at: int) -> None:
        self.conn.execute(insert(_R).values(org_pk=org_pk, api=api, updated_at=at))

    def unrestrict(self, org_pk: int, api: str) -> int:
        gone = self.conn.execute(delete(_R).where(_R.c.org_pk == org_pk, _R.c.api == api))
        return int(gone.rowcount)
