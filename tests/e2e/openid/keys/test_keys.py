"""Signing keys in the database and their rotation (reference §1.9).

Every test gets its own database (SQLite file, or a fresh PostgreSQL database) so that
its timeline of keys cannot disturb the shared test server's keys. Times are explicit:
``now`` is handed in, as the server's clock would.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import Engine, select

from accord.protocol.keys import RotationPolicy
from accord.storage.engine import make_engine
from accord.storage.keys import KeyDecryptionError, SqlKeyRing, rotate_if_due
from accord.storage.schema import signing_keys
from tests.e2e.openid.keys.support import (
    KEK,
    P,
    T,
    count,
    in_threads,
    kids,
)


def test_first_use_by_eight_processes_at_once_creates_one_key(db_url: str, engine: Engine) -> None:
    """Each thread has its own engine and ring, as separate server processes would."""
    engines = [make_engine(db_url) for _ in range(8)]
    try:
        got = in_threads(8, lambda i: SqlKeyRing(engines[i], KEK).signing_key(T).kid)
    finally:
        for e in engines:
            e.dispose()
    assert len(set(got)) == 1
    assert count(engine) == 1
    kid = str(got[0])
    assert len(kid) == 40 and int(kid, 16) >= 0  # 40 hex digits, like Google's


def test_a_due_rotation_checked_by_eight_processes_at_once_publishes_one_key(
    db_url: str, engine: Engine
) -> None:
    SqlKeyRing(engine, KEK).signing_key(T)
    due = T + P.sign_for - P.publish_ahead
    engines = [make_engine(db_url) for _ in range(8)]
    try:
        changed = in_threads(8, lambda i: rotate_if_due(SqlKeyRing(engines[i], KEK), due))
    finally:
        for e in engines:
            e.dispose()
    assert changed.count(True) == 1
    assert count(engine) == 2


def test_private_keys_are_sealed_at_rest(engine: Engine) -> None:
    key = SqlKeyRing(engine, KEK).signing_key(T)
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    der = key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with engine.connect() as conn:
        row = conn.execute(select(signing_keys)).one()
    stored = row.private_key.encode()
    raw = base64.urlsafe_b64decode(stored)
    for blob in (stored, raw):
        assert b"PRIVATE KEY" not in blob and pem not in blob and der not in blob
        assert pem[30:90] not in blob
    assert row.public_key.startswith("-----BEGIN PUBLIC KEY-----")


def test_a_wrong_key_encryption_key_fails_clearly(engine: Engine) -> None:
    SqlKeyRing(engine, KEK).signing_key(T)
    other = SqlKeyRing(engine, bytes(32))
    assert len(other.published(T)) == 1  # public halves need no secret
    with pytest.raises(KeyDecryptionError, match="ACCORD_SECRET_KEY"):
        other.signing_key(T)
    with pytest.raises(ValueError, match="32 bytes"):
        SqlKeyRing(engine, b"short")


def test_rotation_timeline(engine: Engine) -> None:
    """Publish before signing, overlap after retiring, removal after expiry."""
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    assert kids(ring, T) == [first]
    due = T + P.sign_for - P.publish_ahead
    assert not rotate_if_due(ring, due - 1)
    assert kids(ring, due - 1) == [first]
    assert rotate_if_due(ring, due)
    assert not rotate_if_due(ring, due)  # idempotent
    assert not rotate_if_due(SqlKeyRing(engine, KEK), due + 1)  # in another process too
    second = kids(ring, due)[1]
    assert kids(ring, due) == [first, second]  # published a day before it signs
    retire = T + P.sign_for
    assert ring.signing_key(retire - 1).kid == first
    assert ring.signing_key(retire).kid == second  # on time, from what the ring read
    assert kids(ring, retire + P.keep_after - 1) == [first, second]
    assert kids(ring, retire + P.keep_after) == [second]
    assert count(engine) == 2


def test_signing_rolls_the_schedule_without_the_background_check(engine: Engine) -> None:
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    late = T + P.sign_for - P.publish_ahead // 2
    assert ring.signing_key(late).kid == first  # and its successor is now published
    assert len(kids(ring, late)) == 2
    retire = late + P.publish_ahead  # stretched so the successor is published a full day
    assert ring.signing_key(retire - 1).kid == first
    assert ring.signing_key(retire).kid != first


def test_rotate_now_reaches_other_processes_within_the_cache_period(engine: Engine) -> None:
    """Signing reads the keys again after ``cache_seconds``; the published set at once."""
    policy = RotationPolicy(cache_seconds=60)
    server, cli = SqlKeyRing(engine, KEK, policy), SqlKeyRing(engine, KEK, policy)
    first = server.signing_key(T).kid
    cli.rotate(T + 10, immediately=True)
    second = cli.signing_key(T + 10).kid
    assert second != first
    assert server.signing_key(T + 59).kid == first  # read at T: cached
    assert server.signing_key(T + 60).kid == second
    assert kids(server, T + 10) == [first, second]  # and published at once:
    server2 = SqlKeyRing(engine, KEK, policy)
    assert server2.signing_key(T + 10).kid == second
    cli.rotate(T + 20, immediately=True)
    assert server2.signing_key(T + 21).kid == second  # cached
    third = kids(server2, T + 21)[-1]  # a published set is read afresh (and refreshes)
    assert third not in (first, second) and server2.signing_key(T + 21).kid == third
    assert kids(server, T + 10 + P.keep_after - 1) == [first, second, third]
    assert kids(server, T + 10 + P.keep_after) == [second, third]


def test_a_key_unpublished_early_cuts_the_max_age(engine: Engine) -> None:
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    assert ring.key_set(T)[1] == P.max_age
    ring.rotate(T + 10, immediately=True, unpublish_after=600)
    second = ring.signing_key(T + 10).kid
    keys, max_age = ring.key_set(T + 10)
    assert [k.kid for k in keys] == [first, second] and max_age == 600
    assert ring.key_set(T + 400)[1] == 210
    assert ring.key_set(T + 610) == (ring.published(T + 610), P.max_age)
    assert kids(ring, T + 610) == [second]


def test_a_key_is_unpublished_no_sooner_than_every_process_stops_signing(
    engine: Engine,
) -> None:
    policy = RotationPolicy(cache_seconds=5)
    ring = SqlKeyRing(engine, KEK, policy)
    first = ring.signing_key(T).kid
    ring.rotate(T, immediately=True, unpublish_after=0)
    assert first in kids(ring, T + 4)
    assert first not in kids(ring, T + 5)


def test_scheduled_rotate_waits_for_the_publish_lead(engine: Engine) -> None:
    ring = SqlKeyRing(engine, KEK)
    first = ring.signing_key(T).kid
    ring.rotate(T + 100)
    ring.rotate(T + 200)  # the same successor, still a day out
    assert count(engine) == 2
    second = kids(ring, T + 200)[1]
    assert ring.signing_key(T + 100 + P.publish_ahead - 1).kid == first
    assert ring.signing_key(T + 100 + P.publish_ahead).kid == second
