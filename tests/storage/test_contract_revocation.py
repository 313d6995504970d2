"""Revocation against issuance (issue 12): what is issued from a grant is written under a
hold on the grant's row, so nothing issued survives its revocation, however the two
interleave. The race through two server processes is tests/e2e/revoke/test_revoke_race.py;
here each store call meets a grant revoked before it, and threads race on connections of
their own."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import Engine, select

from accord.protocol.tokens import digest
from accord.storage.schema import authorizations
from accord.storage.sql import SqlStore
from tests.storage.test_contract import NOW, save


def test_a_code_of_a_revoked_grant_is_not_redeemed(
    store: SqlStore, ids: tuple[int, int, int]
) -> None:
    """The code was read before the revocation (the token endpoint's find_code)."""
    user_pk, client_pk, project_pk = ids
    code_hash, code = save(store, ids)
    store.revoke_grant(user_pk, project_pk, NOW)
    assert store.redeem_code(code, digest("rt-" + code_hash), NOW) is None
    assert store.find_code(code_hash).consumed  # type: ignore[union-attr]
    assert not store.has_live_refresh_token(user_pk, client_pk, NOW)


def test_a_code_saved_after_the_revocation_is_born_used(
    store: SqlStore, ids: tuple[int, int, int]
) -> None:
    """The authorization endpoint decided on the grant, then the user revoked it."""
    user_pk, _, project_pk = ids
    code_hash, code = save(store, ids)
    store.revoke_grant(user_pk, project_pk, NOW)
    late = digest(uuid.uuid4().hex)
    store.save_code(late, code.grant, NOW)
    found = store.find_code(late)
    assert found is not None and found.consumed
    assert store.redeem_code(found, None, NOW) is None


def test_an_implicit_authorization_after_the_revocation_is_born_revoked(
    store: SqlStore, ids: tuple[int, int, int]
) -> None:
    user_pk, _, project_pk = ids
    _, code = save(store, ids)
    store.revoke_grant(user_pk, project_pk, NOW)
    authorization = store.create_authorization(code.grant, NOW)
    assert authorization.revoked and store.subject(authorization.pk) is None


def test_a_new_consent_issues_again(store: SqlStore, ids: tuple[int, int, int]) -> None:
    user_pk, client_pk, project_pk = ids
    save(store, ids)
    store.revoke_grant(user_pk, project_pk, NOW)
    code_hash, code = save(store, ids)  # consents again, then a new code
    authorization = store.redeem_code(code, digest("rt-" + code_hash), NOW)
    assert authorization is not None and not authorization.revoked
    assert store.has_live_refresh_token(user_pk, client_pk, NOW)


def _race_once(engine: Engine, ids: tuple[int, int, int], round_: int) -> None:
    """Four exchanges of four codes of the grant against one revocation, each on its own
    store (its own connections), started together."""
    user_pk, _, project_pk = ids
    codes = [save(SqlStore(engine), ids) for _ in range(4)]
    stores = [SqlStore(engine) for _ in range(5)]
    start = threading.Barrier(5)

    def redeem(i: int) -> None:
        start.wait()
        code_hash, code = codes[i]
        stores[i].redeem_code(code, digest(f"rt-{round_}-" + code_hash), NOW)

    def revoke() -> None:
        start.wait()
        stores[4].revoke_grant(user_pk, project_pk, NOW)

    threads = [threading.Thread(target=redeem, args=(i,)) for i in range(4)]
    threads.append(threading.Thread(target=revoke))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_racing_exchanges_and_revocations_leave_nothing_live(
    engine: Engine, ids: tuple[int, int, int]
) -> None:
    user_pk = ids[0]
    for round_ in range(15):
        _race_once(engine, ids, round_)
        with engine.connect() as conn:
            live = conn.execute(
                select(authorizations.c.pk).where(
                    authorizations.c.user_pk == user_pk, authorizations.c.revoked_at.is_(None)
                )
            ).all()
        assert live == [], f"round {round_}"
