"""Accounts, as the operator, organization admins and the accounts themselves manage them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update

from accord.storage.admin.base import RowsBase
from accord.storage.schema import org_domains, users


def _where(email: str, user_pk: int | None) -> Any:
    clause = users.c.email == email
    if user_pk is not None:
        clause = clause & (users.c.pk == user_pk)
    return clause


class UserRows(RowsBase):
    def email_taken(self, email: str) -> bool:
        return self.conn.execute(select(users.c.pk).where(users.c.email == email)).first() \
            is not None

    def insert_user(self, values: dict[str, object]) -> int:
        return int(self.conn.execute(
            insert(users).values(**values).returning(users.c.pk)
        ).scalar_one())

    def user_row(self, pk: int) -> Any:
        return self.conn.execute(select(users).where(users.c.pk == pk)).first()

    def user_by_email(self, email: str, user_pk: int | None = None) -> Any:
        """The account `email` (and `user_pk`, when given), or None."""
        return self.conn.execute(select(users).where(_where(email, user_pk))).first()

    def update_user_by_email(
        self, email: str, user_pk: int | None, values: dict[str, Any]
    ) -> int:
        found = self.conn.execute(update(users).where(_where(email, user_pk)).values(**values))
        return int(found.rowcount)

    def update_user(self, pk: int, values: dict[str, Any]) -> None:
        self.conn.execute(update(users).where(users.c.pk == pk).values(**values))

    def delete_user(self, pk: int) -> None:
        self.conn.execute(delete(users).where(users.c.pk == pk))

    def all_users(self) -> list[Any]:
        """Every account, by email."""
        return list(self.conn.execute(select(users).order_by(users.c.email)).all())

    def org_users(self, org_pk: int) -> list[Any]:
        """The accounts in the organization's domains, by email."""
        return list(self.conn.execute(
            select(users)
            .join(org_domains, org_domains.c.domain == users.c.domain)
            .where(org_domains.c.org_pk == org_pk)
            .order_by(users.c.email)
        ).all())

    def org_user(self, org_pk: int, email: str) -> Any:
        """The account `email` if it is in one of the organization's domains, or None."""
        return self.conn.execute(
            select(users)
            .join(org_domains, org_domains.c.domain == users.c.domain)
            .where(org_domains.c.org_pk == org_pk, users.c.email == email)
        ).first()
