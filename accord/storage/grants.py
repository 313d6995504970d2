"""Consent: the scopes each user granted each project (``accord.protocol.ports.Grants``)."""

from __future__ import annotations

from sqlalchemy import Connection, and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.storage.hot import Prepared
from accord.storage.schema import grants
from accord.storage.sqlbase import SqlBase, split


def hold_grant(conn: Connection, user_pk: int, project_pk: int) -> bool:
    """Whether the user's grant to the project still stands, held until ``conn``'s
    transaction ends: what is issued from a grant (a code, a token family) is written under
    this hold, and ``revoke_grant`` deletes the row first, so a revocation waits for an
    issuance in flight and then sees what it wrote, or the issuance waits for the
    revocation and finds no grant. (Under READ COMMITTED a revocation's UPDATE does not
    see a row another transaction is inserting: without the hold that row would survive.)
    """
    where = and_(grants.c.user_pk == user_pk, grants.c.project_pk == project_pk)
    if conn.dialect.name == "sqlite":
        # A write first takes SQLite's one write lock (FOR SHARE is a no-op there, and a
        # read would not even begin the transaction): the rest of it runs alone.
        held = conn.execute(update(grants).where(where).values(updated_at=grants.c.updated_at))
        return held.rowcount == 1
    # FOR SHARE: issuances from one grant run side by side; revoke_grant's DELETE waits.
    held_row = conn.execute(select(grants.c.pk).where(where).with_for_update(read=True)).first()
    return held_row is not None


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
