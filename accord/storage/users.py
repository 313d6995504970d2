"""Accounts as the protocol reads them (``accord.protocol.ports.Users``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, select

from accord.protocol.messages import User
from accord.storage.hot import Prepared
from accord.storage.schema import org_domains, users
from accord.storage.sqlbase import SqlBase

# A user belongs to the organization owning their email's domain (Google Workspace), once
# the address is verified: a self-signed-up account cannot claim an organization's domain.
MEMBER = and_(org_domains.c.domain == users.c.domain, users.c.email_verified)

# Disabled accounts are not found: they cannot sign in and their tokens stop working.
_USER = select(
    users.c.pk,
    users.c.sub,
    users.c.email,
    users.c.name,
    users.c.email_verified,
    users.c.given_name,
    users.c.family_name,
    users.c.picture,
    users.c.locale,
    org_domains.c.org_pk,
    users.c.domain,
).select_from(
    users.outerjoin(org_domains, MEMBER)
).where(users.c.disabled_at.is_(None))


def _user(row: Any) -> User:
    return User(
        pk=row.pk,
        sub=row.sub,
        email=row.email,
        name=row.name,
        email_verified=bool(row.email_verified),
        given_name=row.given_name,
        family_name=row.family_name,
        picture=row.picture,
        locale=row.locale,
        org_pk=row.org_pk,
        hd=row.domain if row.org_pk is not None else "",
    )


class SqlUsers(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._user = Prepared(_USER.where(users.c.pk == bindparam("key")), self.engine)

    def user_by_pk(self, pk: int) -> User | None:
        with self.reader.connect() as conn:
            row = conn.execute(_USER.where(users.c.pk == pk)).first()
        return _user(row) if row else None

    def users_by_pk(self, pks: list[int]) -> list[User]:
        """The signed-in accounts of a browser (a handful), in the order given."""
        rows = (self.hot.first(self._user, key=pk) for pk in pks)
        return [_user(row) for row in rows if row is not None]

    def user_by_login(self, email_or_sub: str) -> tuple[User, str] | None:
        key = email_or_sub.strip().lower()
        query = _USER.add_columns(users.c.password_hash).where(
            (users.c.email == key) | (users.c.sub == key)
        )
        with self.reader.connect() as conn:
            row = conn.execute(query).first()
        return (_user(row), row.password_hash) if row else None
