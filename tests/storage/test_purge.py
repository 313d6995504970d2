"""The purge of dead rows (issue 12: tables that only grow), on SQLite and PostgreSQL, with
times handed in as the server's clock would. Each test has a database of its own: a purge
at a far-off time would otherwise delete other tests' rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from accord.protocol.grants.refresh_token import IDLE_EXPIRY
from accord.protocol.messages import AuditEvent
from accord.protocol.tokens import digest
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from accord.storage.purge import DAY, Purged, Retention, purge_dead
from accord.storage.schema import audit_events, authorizations, codes
from accord.storage.sql import SqlStore
from tests.conftest import create_pg_database, drop_pg_database
from tests.storage.test_contract import NOW, save

KEEP = Retention(dead_tokens=30 * DAY, audit_events=400 * DAY, batch=3)
R = KEEP.dead_tokens


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'purge.db'}"
        db = None
    else:
        db = create_pg_database()
        url = db.url
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    if db is not None:
        drop_pg_database(db)


def _family(store: SqlStore, ids: tuple[int, int, int], refresh: bool = True,
            lifetime: int | None = None) -> int:
    """A token family from a redeemed code (with a refresh token unless told)."""
    code_hash, code = save(store, ids, refresh=refresh)
    code = replace(code, grant=replace(code.grant, refresh_lifetime=lifetime))
    authorization = store.redeem_code(code, digest("rt-" + code_hash) if refresh else None, NOW)
    assert authorization is not None
    return authorization.pk


def _left(engine: Engine) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(select(authorizations.c.pk)).scalars())


def test_each_kind_of_dead_family_goes_after_the_retention(
    engine: Engine, store: SqlStore, ids: tuple[int, int, int]
) -> None:
    live = _family(store, ids)
    timed = _family(store, ids, lifetime=3600)  # time-based access: dead at NOW + 3600
    online = _family(store, ids, refresh=False)  # its last access token: NOW + 3599
    account = _family(store, ids, refresh=False)
    with engine.begin() as conn:  # a row that records when its access tokens end
        conn.execute(update(authorizations).where(authorizations.c.pk == account)
                     .values(access_expires_at=NOW + 100))
    store.touch(live, NOW + 200 * DAY)  # used: its six months start again

    assert purge_dead(engine, NOW + 100 + R, KEEP).authorizations == 0
    assert purge_dead(engine, NOW + 101 + R, KEEP).authorizations == 1
    assert account not in _left(engine)
    purge_dead(engine, NOW + 3599 + R, KEEP)
    assert online in _left(engine)
    purge_dead(engine, NOW + 3600 + R, KEEP)
    assert online not in _left(engine) and timed in _left(engine)
    purge_dead(engine, NOW + 3601 + R, KEEP)
    assert _left(engine) == {live}
    assert purge_dead(engine, NOW + 200 * DAY + IDLE_EXPIRY + R, KEEP).authorizations == 0
    assert purge_dead(engine, NOW + 200 * DAY + IDLE_EXPIRY + R + 1, KEEP).authorizations == 1
    assert _left(engine) == set()


def test_a_revoked_family_goes_with_its_codes(
    engine: Engine, store: SqlStore, ids: tuple[int, int, int]
) -> None:
    user_pk, _, project_pk = ids
    families = {_family(store, ids) for _ in range(7)}  # more than a batch
    store.revoke_grant(user_pk, project_pk, NOW + 10)
    kept = _family(store, ids)  # consented again afterwards
    assert purge_dead(engine, NOW + 10 + R, KEEP) == Purged()
    purged = purge_dead(engine, NOW + 11 + R, KEEP)
    assert purged == Purged(authorizations=7, codes=7)
    assert _left(engine) == {kept} and not families & _left(engine)
    with engine.connect() as conn:
        pointing = conn.execute(
            select(func.count()).select_from(codes).where(codes.c.authorization_pk.is_not(None))
        ).scalar_one()
    assert pointing == 1  # the code of the kept family


def test_audit_events_are_kept_for_their_retention(engine: Engine, store: SqlStore) -> None:
    keep = KEEP.audit_events
    times = [NOW - keep - 10, NOW - keep - 5, NOW - keep - 1, NOW - keep, NOW - keep + 1, NOW]
    for at in times + [NOW - keep - 2]:  # one written late by a process whose clock lagged
        store.record(AuditEvent(event="token.revoked", at=at, email=f"{uuid.uuid4().hex}@x"))
    assert purge_dead(engine, NOW, KEEP).audit_events == 3
    with engine.connect() as conn:
        left = list(conn.execute(select(audit_events.c.at).order_by(audit_events.c.pk)).scalars())
    # Oldest first, stopping at the first batch with nothing old: the late row goes once the
    # rows written before it do (the walk never scans the whole table).
    assert left == [NOW - keep, NOW - keep + 1, NOW, NOW - keep - 2]
    assert purge_dead(engine, NOW + keep + 1, KEEP).audit_events == 4


def test_an_empty_database_purges_nothing(engine: Engine) -> None:
    assert purge_dead(engine, NOW, KEEP) == Purged()
