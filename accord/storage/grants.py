"""Consent: the scopes each user granted each project (``accord.protocol.ports.Grants``)."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.storage.hot import Prepared
from accord.storage.schema import grants
from accord.storage.sqlbase import SqlBase, split


class SqlGrants(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._grant = Prepared(
            select(grants.c.scopes).where(
                grants.c.user_pk == bindparam("user"), grants.c.project_pk == bindparam("project")
            ),
            self.engine,
        )

    def granted_scopes(self, user_pk: int, project_pk: int) -> frozenset[str]:
        row = self.hot.first(self._grant, user=user_pk, project=project_pk)
        return frozenset(split(row.scopes)) if row else frozenset()

    def add_grant(self, user_pk: int, project_pk: int, scopes: frozenset[str], now: int) -> None:
        try:
            self._add_grant(user_pk, project_pk, scopes, now)
        except IntegrityError:  # a concurrent first consent inserted the row: merge into it
            self._add_grant(user_pk, project_pk, scopes, now)

    def _add_grant(self, user_pk: int, project_pk: int, scopes: frozenset[str], now: int) -> None:
        where = and_(grants.c.user_pk == user_pk, grants.c.project_pk == project_pk)
        with self.engine.begin() as conn:
            # Write first: on SQLite that takes the database's write lock before the read
            # (FOR UPDATE is a no-op there), so two consents cannot lose each other's scopes.
            conn.execute(update(grants).where(where).values(updated_at=now))
            current = conn.execute(select(grants.c.scopes).where(where).with_for_update()).first()
            if current is None:
                conn.execute(
                    insert(grants).values(
                        user_pk=user_pk,
                        project_pk=project_pk,
                        scopes=" ".join(sorted(scopes)),
                        created_at=now,
                        updated_at=now,
                    )
                )
            else:
                union = " ".join(sorted(set(split(current.scopes)) | scopes))
                conn.execute(update(grants).where(where).values(scopes=union, updated_at=now))
