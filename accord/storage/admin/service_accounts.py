"""Service accounts, their keys and IAM policies, and organizations' domain-wide
delegation, as the console, the admin API and the CLI manage them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from accord.storage.admin.base import RowsBase
from accord.storage.schema import (
    org_delegations,
    projects,
    service_account_bindings,
    service_account_keys,
    service_accounts,
)

SA = service_accounts
K = service_account_keys
B = service_account_bindings
D = org_delegations
_ACCOUNT = select(SA, projects.c.project_id, projects.c.org_pk).join(
    projects, projects.c.pk == SA.c.project_pk
)
# The live account of an email first (there is at most one), then the newest deleted one.
_NEWEST = (
    SA.c.deleted_at.is_not(None), SA.c.created_at.desc(), SA.c.pk.desc()  # false first
)


class ServiceAccountRows(RowsBase):
    def lock_project(self, project_pk: int) -> None:
        """Serialize changes to the project's accounts until the transaction ends (a row
        lock on PostgreSQL; SQLite's write lock)."""
        self.conn.execute(
            update(projects).where(projects.c.pk == project_pk).values(name=projects.c.name)
        )

    def insert_account(self, **values: Any) -> int:
        return int(self.conn.execute(insert(SA).values(**values).returning(SA.c.pk)).scalar_one())

    def account_by_email(self, email: str) -> Any:
        """The account of that email (with project_id and org_pk): the live one, else the
        newest deleted one."""
        return self.conn.execute(_ACCOUNT.where(SA.c.email == email).order_by(*_NEWEST)).first()

    def account_by_unique_id(self, unique_id: str) -> Any:
        return self.conn.execute(_ACCOUNT.where(SA.c.unique_id == unique_id)).first()

    def account_by_pk(self, pk: int) -> Any:
        return self.conn.execute(_ACCOUNT.where(SA.c.pk == pk)).one()

    def live_account(self, email: str) -> Any:
        """The account of that email that is not deleted, if any."""
        return self.conn.execute(
            _ACCOUNT.where(SA.c.email == email, SA.c.deleted_at.is_(None))
        ).first()

    def accounts_of(self, project_pk: int, deleted_since: int | None = None) -> list[Any]:
        """The project's accounts that are not deleted (or deleted at ``deleted_since`` or
        later), oldest first."""
        live = SA.c.deleted_at.is_(None)
        kept = live if deleted_since is None else or_(live, SA.c.deleted_at >= deleted_since)
        return list(self.conn.execute(
            _ACCOUNT.where(SA.c.project_pk == project_pk, kept)
            .order_by(SA.c.created_at, SA.c.pk)
        ).all())

    def update_account(self, pk: int, values: dict[str, Any]) -> None:
        self.conn.execute(update(SA).where(SA.c.pk == pk).values(values))

    def live_unique_id(self, unique_id: str) -> Any:
        """The email of the live account of that unique id, or None."""
        return self.conn.execute(
            select(SA.c.email).where(SA.c.unique_id == unique_id, SA.c.deleted_at.is_(None))
        ).scalar()

    # Keys
    def insert_key(self, **values: Any) -> None:
        self.conn.execute(insert(K).values(**values))

    def keys_of(self, account_pk: int) -> list[Any]:
        return list(self.conn.execute(
            select(K).where(K.c.service_account_pk == account_pk)
            .order_by(K.c.created_at, K.c.pk)
        ).all())

    def key(self, account_pk: int, key_id: str) -> Any:
        return self.conn.execute(
            select(K).where(K.c.service_account_pk == account_pk, K.c.key_id == key_id)
        ).first()

    def user_key_count(self, account_pk: int) -> int:
        return int(self.conn.execute(
            select(func.count()).where(
                K.c.service_account_pk == account_pk, K.c.key_type == "USER_MANAGED"
            )
        ).scalar_one())

    def set_key_disabled(self, key_pk: int, at: int | None) -> None:
        self.conn.execute(update(K).where(K.c.pk == key_pk).values(disabled_at=at))

    def delete_key(self, key_pk: int) -> None:
        self.conn.execute(delete(K).where(K.c.pk == key_pk))

    # IAM policy
    def bindings(self, account_pk: int) -> list[tuple[str, str]]:
        """(role, member) pairs, sorted."""
        rows = self.conn.execute(
            select(B.c.role, B.c.member).where(B.c.service_account_pk == account_pk)
            .order_by(B.c.role, B.c.member)
        ).all()
        return [(str(r.role), str(r.member)) for r in rows]

    def insert_binding(self, account_pk: int, role: str, member: str, at: int) -> None:
        self.conn.execute(insert(B).values(
            service_account_pk=account_pk, role=role, member=member, created_at=at
        ))

    def delete_binding(self, account_pk: int, role: str, member: str) -> int:
        return int(self.conn.execute(delete(B).where(
            B.c.service_account_pk == account_pk, B.c.role == role, B.c.member == member
        )).rowcount)

    # Domain-wide delegation
    def delegations(self, org_pk: int) -> list[Any]:
        return list(self.conn.execute(
            select(D).where(D.c.org_pk == org_pk).order_by(D.c.created_at, D.c.pk)
        ).all())

    def delegation(self, org_pk: int, client_id: str) -> Any:
        return self.conn.execute(
            select(D).where(D.c.org_pk == org_pk, D.c.client_id == client_id)
        ).first()

    def insert_delegation(self, org_pk: int, client_id: str, scopes: str, at: int) -> None:
        self.conn.execute(insert(D).values(
            org_pk=org_pk, client_id=client_id, scopes=scopes, created_at=at, updated_at=at
        ))

    def update_delegation(self, pk: int, scopes: str, at: int) -> None:
        self.conn.execute(update(D).where(D.c.pk == pk).values(scopes=scopes, updated_at=at))

    def delete_delegation(self, org_pk: int, client_id: str) -> int:
        return int(self.conn.execute(
            delete(D).where(D.c.org_pk == org_pk, D.c.client_id == client_id)
        ).rowcount)
