"""Projects, their members, enabled APIs, consent screen and test users."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update

from accord.storage.admin.base import RowsBase
from accord.storage.schema import (
    org_domains,
    organizations,
    project_apis,
    project_members,
    projects,
    test_users,
    users,
)

_M = project_members
_VIEW = select(
    projects.c.pk, projects.c.project_id, projects.c.number, projects.c.name,
    projects.c.created_at, organizations.c.org_id,
).outerjoin(organizations, organizations.c.pk == projects.c.org_pk)


class ProjectRows(RowsBase):
    def org_of_domain(self, domain: str) -> int | None:
        pk = self.conn.execute(
            select(org_domains.c.org_pk).where(org_domains.c.domain == domain)
        ).scalar()
        return None if pk is None else int(pk)

    def verified_domain(self, user_pk: int) -> str | None:
        """The email domain of the account, if its address is verified."""
        domain = self.conn.execute(
            select(users.c.domain).where(users.c.pk == user_pk, users.c.email_verified)
        ).scalar()
        return None if domain is None else str(domain)

    def insert_project(
        self, project_id: str, number: str, name: str, created_at: int, org_pk: int | None
    ) -> int:
        return int(self.conn.execute(
            insert(projects).values(
                project_id=project_id, number=number, name=name, created_at=created_at,
                org_pk=org_pk,
            ).returning(projects.c.pk)
        ).scalar_one())

    def project_view(self, pk: int) -> Any:
        """pk, project_id, number, name, created_at, org_id."""
        return self.conn.execute(_VIEW.where(projects.c.pk == pk)).one()

    def project_views(self) -> list[Any]:
        return list(self.conn.execute(_VIEW.order_by(projects.c.project_id)).all())

    def member_project_views(self, user_pk: int) -> list[Any]:
        """The account's projects, with its role."""
        return list(self.conn.execute(
            _VIEW.add_columns(_M.c.role)
            .join(_M, _M.c.project_pk == projects.c.pk)
            .where(_M.c.user_pk == user_pk)
            .order_by(projects.c.project_id)
        ).all())

    def project_row(self, pk: int) -> Any:
        return self.conn.execute(select(projects).where(projects.c.pk == pk)).one()

    def project_number(self, pk: int) -> str:
        return str(self.conn.execute(
            select(projects.c.number).where(projects.c.pk == pk)
        ).scalar_one())

    def update_project(self, pk: int, values: dict[str, Any]) -> None:
        self.conn.execute(update(projects).where(projects.c.pk == pk).values(**values))

    def delete_project(self, pk: int) -> None:
        self.conn.execute(delete(projects).where(projects.c.pk == pk))

    # APIs
    def enabled_apis(self, project_pk: int) -> set[str]:
        return set(self.conn.execute(
            select(project_apis.c.api).where(project_apis.c.project_pk == project_pk)
        ).scalars())

    def enable_api(self, project_pk: int, api: str, at: int) -> None:
        self.conn.execute(insert(project_apis).values(project_pk=project_pk, api=api,
                                                      enabled_at=at))

    def disable_api(self, project_pk: int, api: str) -> int:
        gone = self.conn.execute(delete(project_apis).where(
            project_apis.c.project_pk == project_pk, project_apis.c.api == api
        ))
        return int(gone.rowcount)

    # Members
    def owner_count(self, project_pk: int) -> int:
        return int(self.conn.execute(
            select(func.count()).where(_M.c.project_pk == project_pk, _M.c.role == "owner")
        ).scalar_one())

    def account_and_role(self, project_pk: int, email: str) -> Any:
        """(pk, role or None) of the account `email`, or None."""
        return self.conn.execute(
            select(users.c.pk, _M.c.role)
            .outerjoin(_M, (_M.c.user_pk == users.c.pk) & (_M.c.project_pk == project_pk))
            .where(users.c.email == email)
        ).first()

    def members(self, project_pk: int) -> list[Any]:
        """email, name, role, created_at; by email."""
        return list(self.conn.execute(
            select(users.c.email, users.c.name, _M.c.role, _M.c.created_at)
            .join(users, users.c.pk == _M.c.user_pk)
            .where(_M.c.project_pk == project_pk)
            .order_by(users.c.email)
        ).all())

    def insert_member(self, project_pk: int, user_pk: int, role: str, at: int) -> None:
        self.conn.execute(insert(_M).values(
            project_pk=project_pk, user_pk=user_pk, role=role, created_at=at
        ))

    def set_role(self, project_pk: int, user_pk: int, role: str) -> None:
        self.conn.execute(update(_M).where(
            _M.c.project_pk == project_pk, _M.c.user_pk == user_pk
        ).values(role=role))

    def delete_member(self, project_pk: int, user_pk: int) -> None:
        self.conn.execute(delete(_M).where(_M.c.project_pk == project_pk,
                                           _M.c.user_pk == user_pk))

    # Test users
    def test_user_emails(self, project_pk: int) -> list[str]:
        return list(self.conn.execute(
            select(test_users.c.email)
            .where(test_users.c.project_pk == project_pk)
            .order_by(test_users.c.email)
        ).scalars())

    def insert_test_user(self, project_pk: int, email: str, at: int) -> None:
        self.conn.execute(insert(test_users).values(project_pk=project_pk, email=email,
                                                    created_at=at))

    def delete_test_user(self, project_pk: int, email: str) -> int:
        gone = self.conn.execute(delete(test_users).where(
            test_users.c.project_pk == project_pk, test_users.c.email == email
        ))
        return int(gone.rowcount)

    def test_user_count(self, project_pk: int) -> int:
        return int(self.conn.execute(
            select(func.count()).where(test_users.c.project_pk == project_pk)
        ).scalar_one())
