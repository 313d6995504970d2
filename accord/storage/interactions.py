"""Stored interactions (see ``accord.interaction.store``) and browser-session generations
(see ``accord.interaction.session``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.storage.database import Handle, engine_of
from accord.storage.schema import browser_sessions, interactions


@dataclass(frozen=True)
class InteractionRow:
    pk: int
    request: str  # the authorization request, as JSON
    browser_hash: str
    chosen_user_pk: int | None
    expires_at: int
    finished: bool


class SqlInteractions:
    def __init__(self, db: Handle) -> None:
        self.engine = engine_of(db)

    def insert(
        self, id_hash: str, browser_hash: str, request: str, created_at: int, expires_at: int
    ) -> int:
        with self.engine.begin() as conn:
            pk = conn.execute(
                insert(interactions).returning(interactions.c.pk).values(
                    id_hash=id_hash,
                    browser_hash=browser_hash,
                    request=request,
                    created_at=created_at,
                    expires_at=expires_at,
                )
            ).scalar_one()
        return int(pk)

    def by_id_hash(self, id_hash: str) -> InteractionRow | None:
        c = interactions.c
        query = select(
            c.pk, c.request, c.browser_hash, c.chosen_user_pk, c.expires_at, c.finished_at
        ).where(c.id_hash == id_hash)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return InteractionRow(
            pk=row.pk, request=row.request, browser_hash=row.browser_hash,
            chosen_user_pk=row.chosen_user_pk, expires_at=row.expires_at,
            finished=row.finished_at is not None,
        )

    def choose(self, pk: int, user_pk: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(interactions).where(interactions.c.pk == pk).values(chosen_user_pk=user_pk)
            )

    def finish(self, pk: int, now: int) -> bool:
        """Whether this call finished it (one conditional UPDATE: exactly once)."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(interactions)
                .where(interactions.c.pk == pk, interactions.c.finished_at.is_(None))
                .values(finished_at=now)
            )
        return result.rowcount == 1


class SqlBrowserSessions:
    """The generation of each browser session (see ``accord.interaction.session``)."""

    def __init__(self, db: Handle) -> None:
        self.engine = engine_of(db)

    def generation(self, sid_hash: str) -> int | None:
        query = select(browser_sessions.c.generation).where(
            browser_sessions.c.id_hash == sid_hash
        )
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return None if value is None else int(value)

    def advance(self, sid_hash: str, now: int) -> int:
        t = browser_sessions.c
        for _ in range(2):  # a concurrent first insert of the same session: update it then
            try:
                with self.engine.begin() as conn:
                    moved = conn.execute(
                        update(browser_sessions)
                        .where(t.id_hash == sid_hash)
                        .values(generation=t.generation + 1, updated_at=now)
                        .returning(t.generation)
                    ).scalar()
                    if moved is not None:
                        return int(moved)
                    conn.execute(
                        insert(browser_sessions).values(
                            id_hash=sid_hash, generation=1, created_at=now, updated_at=now
                        )
                    )
                    return 1
            except IntegrityError:
                continue
        raise RuntimeError("could not advance the browser session")
