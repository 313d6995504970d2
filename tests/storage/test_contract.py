"""The store contract, run on every backend (SQLite always, PostgreSQL in CI)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select

from accord.clock import SystemClock
from accord.protocol.grants.refresh_token import IDLE_EXPIRY
from accord.protocol.messages import AccessType, CodeGrant, StoredCode
from accord.protocol.tokens import digest
from accord.services import Admin
from accord.storage.migrate import upgrade
from accord.storage.schema import authorizations, client_secrets, clients, metadata
from accord.storage.sql import RefreshLimits, SqlStore

NOW = 1_800_000_000


def save(
    store: SqlStore, ids: tuple[int, int, int], refresh: bool = True
) -> tuple[str, StoredCode]:
    """A code of the user's consent to the project (granting "a" and "b" first)."""
    user_pk, client_pk, project_pk = ids
    store.add_grant(user_pk, project_pk, frozenset({"a", "b"}), NOW)
    code_hash = digest(uuid.uuid4().hex)
    store.save_code(code_hash, CodeGrant(
        client_pk=client_pk, user_pk=user_pk, project_pk=project_pk,
        redirect_uri="https://app.example.com/cb", scopes=("a", "b"),
        access_type=AccessType.OFFLINE, issue_refresh_token=refresh, code_challenge=None,
        code_challenge_method=None, nonce=None, auth_time=NOW, expires_at=NOW + 600,
    ), NOW)
    found = store.find_code(code_hash)
    assert found is not None
    return code_hash, found


def test_migrations_match_the_schema(engine: Engine) -> None:
    """What Alembic builds is exactly what schema.py declares."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_migrations_are_idempotent(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)


def test_code_round_trip_and_single_redemption(store: SqlStore, ids: tuple[int, int, int]) -> None:
    code_hash, code = save(store, ids)
    assert not code.consumed and code.grant.scopes == ("a", "b")
    authorization = store.redeem_code(code, digest("rt-" + code_hash), NOW)
    assert authorization is not None and authorization.has_refresh_token
    assert store.redeem_code(code, None, NOW) is None
    assert store.find_code(code_hash).consumed  # type: ignore[union-attr]


def test_concurrent_redemptions_have_one_winner(store: SqlStore, ids: tuple[int, int, int]) -> None:
    """Consuming a code is one conditional UPDATE (STYLE §3.7): eight racers, one winner."""
    _, code = save(store, ids)
    results: list[object] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        results.append(store.redeem_code(code, None, NOW))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1


def test_replay_revokes_the_family(store: SqlStore, ids: tuple[int, int, int]) -> None:
    _, code = save(store, ids)
    pk = code.pk
    authorization = store.redeem_code(code, digest("rt-replay" + str(pk)), NOW)
    assert authorization is not None and store.subject(authorization.pk) is not None
    store.revoke_code_family(pk, NOW + 1)
    assert store.subject(authorization.pk) is None
    revoked = store.by_refresh_hash(digest("rt-replay" + str(pk)))
    assert revoked is not None and revoked.revoked


def test_grants_accumulate_and_revocation_clears_everything(
    store: SqlStore, ids: tuple[int, int, int]
) -> None:
    user_pk, client_pk, project_pk = ids
    store.add_grant(user_pk, project_pk, frozenset({"a"}), NOW)
    store.add_grant(user_pk, project_pk, frozenset({"b"}), NOW)
    assert store.granted_scopes(user_pk, project_pk) == {"a", "b"}
    code_hash, code = save(store, ids)
    store.redeem_code(code, digest("rt-grant" + code_hash), NOW)
    assert store.has_live_refresh_token(user_pk, client_pk, NOW)
    pending_hash, _ = save(store, ids)
    store.revoke_grant(user_pk, project_pk, NOW)
    assert store.granted_scopes(user_pk, project_pk) == frozenset()
    assert not store.has_live_refresh_token(user_pk, client_pk, NOW)
    assert store.find_code(pending_hash).consumed  # type: ignore[union-attr]


def test_an_expired_refresh_token_is_not_live(
    store: SqlStore, ids: tuple[int, int, int]
) -> None:
    """A refresh token past its time-based lifetime, or unused for six months, no longer
    counts as live: the next offline request must show consent and issue a new one."""
    user_pk, client_pk, _ = ids
    _, code = save(store, ids)
    timed = replace(code, grant=replace(code.grant, refresh_lifetime=3600))
    store.redeem_code(timed, digest("rt-timed" + uuid.uuid4().hex), NOW)
    assert store.has_live_refresh_token(user_pk, client_pk, NOW + 3599)
    assert not store.has_live_refresh_token(user_pk, client_pk, NOW + 3600)
    _, code = save(store, ids)
    store.redeem_code(code, digest("rt-idle" + uuid.uuid4().hex), NOW)
    assert store.has_live_refresh_token(user_pk, client_pk, NOW + IDLE_EXPIRY - 1)
    assert not store.has_live_refresh_token(user_pk, client_pk, NOW + IDLE_EXPIRY)


def test_expired_refresh_tokens_do_not_count_toward_the_limit(
    engine: Engine, ids: tuple[int, int, int]
) -> None:
    """The per-client limit counts working tokens: a new token evicts the oldest *live*
    one only when the live ones exceed the limit (reference §1.3.3)."""
    store = SqlStore(engine, RefreshLimits(per_client=2, per_user=100))
    oldest, timed, newest = (digest(f"rt-{n}-" + uuid.uuid4().hex) for n in range(3))
    _, code = save(store, ids)
    store.redeem_code(code, oldest, NOW)
    _, code = save(store, ids)
    store.redeem_code(replace(code, grant=replace(code.grant, refresh_lifetime=10)), timed, NOW + 1)
    _, code = save(store, ids)
    store.redeem_code(code, newest, NOW + 20)  # the timed token expired at NOW + 11
    found = store.by_refresh_hash(oldest)
    assert found is not None and not found.revoked


def test_secrets_are_stored_only_as_digests(engine: Engine, store: SqlStore) -> None:
    admin = Admin(engine, SystemClock())
    project = "p-" + uuid.uuid4().hex[:10]
    admin.create_project(project)
    new = admin.create_client(project, "web", ["https://app.example.com/cb"])
    with engine.connect() as conn:
        stored = conn.execute(
            select(client_secrets.c.secret_hash)
            .join(clients, clients.c.pk == client_secrets.c.client_pk)
            .where(clients.c.client_id == new.client_id)
        ).scalar_one()
        hashes = conn.execute(select(authorizations.c.refresh_hash)).scalars().all()
    assert stored == digest(new.client_secret) and new.client_secret not in stored
    assert all(h is None or len(h) == 64 for h in hashes)


def test_concurrent_consents_keep_every_scope(store: SqlStore, ids: tuple[int, int, int]) -> None:
    """Eight consents at once, each adding its own scope: the grant ends with all eight."""
    user_pk, _, project_pk = ids
    store.add_grant(user_pk, project_pk, frozenset({"seed"}), NOW)
    barrier = threading.Barrier(8)

    def consent(i: int) -> None:
        barrier.wait()
        store.add_grant(user_pk, project_pk, frozenset({f"s{i}"}), NOW)

    threads = [threading.Thread(target=consent, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.granted_scopes(user_pk, project_pk) == {"seed", *(f"s{i}" for i in range(8))}


def test_purge_drops_only_long_expired_codes(store: SqlStore, ids: tuple[int, int, int]) -> None:
    """Times far in the past, so that no other test's rows on the shared database qualify."""
    user_pk, client_pk, project_pk = ids
    store.add_grant(user_pk, project_pk, frozenset({"a"}), 1000)
    old_hash = digest(uuid.uuid4().hex)
    store.save_code(old_hash, CodeGrant(
        client_pk=client_pk, user_pk=user_pk, project_pk=project_pk,
        redirect_uri="https://app.example.com/cb", scopes=("a",), access_type=AccessType.ONLINE,
        issue_refresh_token=False, code_challenge=None, code_challenge_method=None, nonce=None,
        auth_time=1000, expires_at=1600,
    ), 1000)
    store.purge(1600 + 24 * 3600 - 1)
    assert store.find_code(old_hash) is not None
    store.purge(1600 + 24 * 3600 + 1)
    assert store.find_code(old_hash) is None
