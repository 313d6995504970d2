"""Stored interactions: an authorization request waiting for the user's pages.

    CREATED ──(signed in / chosen)──> ACCOUNT_CHOSEN ──(consented, or none needed)──> FINISHED
        └──────────────────(denied, or a prompt=none error)───────────────────────> FINISHED

An interaction is found by the SHA-256 of its opaque id, bound to the browser
session that started it, expires after 30 minutes, and finishes exactly once
(one conditional UPDATE).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.protocol.messages import AccessType, AuthorizationRequest, Prompt
from accord.protocol.tokens import digest, random_text
from accord.storage.schema import browser_sessions, interactions

LIFETIME = 1800


@dataclass(frozen=True)
class Interaction:
    pk: int
    request: AuthorizationRequest
    browser_hash: str
    chosen_user_pk: int | None
    expires_at: int
    finished: bool


def _dump(request: AuthorizationRequest) -> str:
    data = asdict(request)
    data["access_type"] = request.access_type.value
    data["prompt"] = [p.value for p in request.prompt]
    return json.dumps(data)


def _load(raw: str) -> AuthorizationRequest:
    data = json.loads(raw)
    data["access_type"] = AccessType(data["access_type"])
    data["prompt"] = tuple(Prompt(p) for p in data["prompt"])
    data["scopes"] = tuple(data["scopes"])
    data["response_type"] = tuple(data.get("response_type", ["code"]))
    return AuthorizationRequest(**data)


class Interactions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, request: AuthorizationRequest, csrf: str, now: int) -> tuple[str, int]:
        interaction_id = random_text()
        with self.engine.begin() as conn:
            pk = conn.execute(
                insert(interactions).returning(interactions.c.pk).values(
                    id_hash=digest(interaction_id),
                    browser_hash=digest(csrf),
                    request=_dump(request),
                    created_at=now,
                    expires_at=now + LIFETIME,
                )
            ).scalar_one()
        return interaction_id, int(pk)

    def find(self, interaction_id: str, csrf: str, now: int) -> Interaction | None:
        c = interactions.c
        query = select(
            c.pk, c.request, c.browser_hash, c.chosen_user_pk, c.expires_at, c.finished_at
        ).where(c.id_hash == digest(interaction_id))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or row[4] <= now or row[2] != digest(csrf):
            return None
        return Interaction(row[0], _load(row[1]), row[2], row[3], row[4], row[5] is not None)

    def choose(self, pk: int, user_pk: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(interactions).where(interactions.c.pk == pk).values(chosen_user_pk=user_pk)
            )

    def finish(self, pk: int, now: int) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(interactions)
                .where(interactions.c.pk == pk, interactions.c.finished_at.is_(None))
                .values(finished_at=now)
            )
        return result.rowcount == 1


class BrowserSessions:
    """The generation of each browser session (see ``accord.interaction.session``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
