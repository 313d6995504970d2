"""The store contract, continued: interactions, browser sessions, account pages, sign-in
counters and the Database handle the services run on, on every backend."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import Engine

from accord.clock import SystemClock
from accord.interaction.store import LIFETIME, Interactions
from accord.protocol.messages import AccessType, AuthorizationRequest, Prompt
from accord.protocol.tokens import digest
from accord.services import Clients, Operator, Projects, Users, purge_deleted_clients
from accord.storage.accounts import Accounts, SqlThrottleCounters
from accord.storage.database import Database, Duplicate
from accord.storage.interactions import SqlBrowserSessions, SqlInteractions
from accord.storage.sql import SqlStore

NOW = 1_800_000_000
OPERATOR = Operator()
REQUEST = AuthorizationRequest(
    client_id="c", redirect_uri="https://app.example.com/cb", scopes=("openid", "email"),
    state="s", access_type=AccessType.OFFLINE, prompt=(Prompt.CONSENT,), nonce="n",
    response_type=("code", "id_token"), response_mode="fragment", hd="example.com",
)


def test_an_interaction_round_trips_and_finishes_once(engine: Engine, store: SqlStore) -> None:
    interactions = Interactions(SqlInteractions(engine))
    interaction_id, pk = interactions.create(REQUEST, "csrf", NOW)
    found = interactions.find(interaction_id, "csrf", NOW)
    assert found is not None and found.pk == pk and found.request == REQUEST
    assert found.chosen_user_pk is None and not found.finished
    assert found.expires_at == NOW + LIFETIME
    assert interactions.find(interaction_id, "other browser", NOW) is None
    assert interactions.find(interaction_id, "csrf", NOW + LIFETIME) is None
    assert interactions.find("unknown", "csrf", NOW) is None
    user = store.user_by_login(_user(engine))
    assert user is not None
    interactions.choose(pk, user[0].pk)
    assert interactions.find(interaction_id, "csrf", NOW).chosen_user_pk == user[0].pk  # type: ignore[union-attr]
    assert interactions.finish(pk, NOW + 1)
    assert not interactions.finish(pk, NOW + 2)
    assert interactions.find(interaction_id, "csrf", NOW).finished  # type: ignore[union-attr]


def test_concurrent_finishes_have_one_winner(engine: Engine) -> None:
    interactions = Interactions(SqlInteractions(engine))
    _, pk = interactions.create(REQUEST, "csrf", NOW)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def finish() -> None:
        barrier.wait()
        results.append(interactions.finish(pk, NOW))

    threads = [threading.Thread(target=finish) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1


def test_a_browser_session_moves_its_generation_on(engine: Engine) -> None:
    sessions = SqlBrowserSessions(engine)
    sid = digest(uuid.uuid4().hex)
    assert sessions.generation(sid) is None
    assert sessions.advance(sid, NOW) == 1
    assert sessions.advance(sid, NOW + 1) == 2
    assert sessions.generation(sid) == 2


def test_the_account_pages_reads_and_password_change(engine: Engine, store: SqlStore) -> None:
    email = _user(engine)
    found = store.user_by_login(email)
    assert found is not None
    user, old_hash = found
    accounts = Accounts(Database(engine))
    assert accounts.apps_with_access(user.pk) == []
    store.add_grant(user.pk, _project(engine), frozenset({"openid", "email"}), NOW)
    (app,) = accounts.apps_with_access(user.pk)
    assert app.scopes == ("email", "openid") and app.since == NOW and app.last_used_at is None
    assert accounts.set_password(user.pk, "new-hash", NOW)
    assert store.user_by_login(email) == (user, "new-hash") != (user, old_hash)
    assert accounts.org_of_domain("no-org.example.com") is None


def test_sign_in_counters_count_in_windows(engine: Engine) -> None:
    counters = SqlThrottleCounters(engine)
    key, other = digest(uuid.uuid4().hex), digest(uuid.uuid4().hex)
    assert counters.counts([key, other], NOW, 60) == {}
    counters.fail(key, NOW, 60)
    counters.fail(key, NOW + 1, 60)
    assert counters.counts([key, other], NOW + 1, 60) == {key: 2}
    counters.fail(key, NOW + 60, 60)  # a new window
    assert counters.counts([key], NOW + 60, 60) == {key: 1}
    counters.reset(key)
    assert counters.counts([key], NOW + 60, 60) == {}
    counters.fail(other, 1000, 60)
    assert counters.purge(1060, 60) >= 1
    assert counters.counts([other], 1000, 60) == {}


def test_a_database_transaction_commits_or_rolls_back_whole(engine: Engine) -> None:
    db = Database(engine)
    project_id = "p-" + uuid.uuid4().hex[:10]
    with pytest.raises(RuntimeError), db.begin() as rows:
        rows.insert_project(project_id, uuid.uuid4().hex[:12], "x", NOW, None)
        raise RuntimeError
    with db.connect() as rows:
        assert rows.project_key(project_id) is None
    with db.begin() as rows:
        rows.insert_project(project_id, uuid.uuid4().hex[:12], "x", NOW, None)
    with pytest.raises(Duplicate), db.begin() as rows:
        rows.insert_project(project_id, uuid.uuid4().hex[:12], "x", NOW, None)
    with db.connect() as rows:
        assert rows.project_key(project_id) is not None


def test_deleted_clients_are_purged_after_the_restore_window(engine: Engine) -> None:
    """Times far in the past, so that no other test's clients qualify."""
    db = Database(engine)
    project = "p-" + uuid.uuid4().hex[:10]
    Projects(db, SystemClock()).create(OPERATOR, project)
    new = Clients(db, SystemClock()).create(OPERATOR, project, "web", "web",
                                            ["https://app.example.com/cb"])
    with db.begin() as rows:
        row = rows.client_by_id(new.client_id)
        rows.update_client(row.pk, {"deleted_at": 1000})
    assert purge_deleted_clients(db, 1000 + 30 * 24 * 3600) == 0
    assert purge_deleted_clients(db, 1001 + 30 * 24 * 3600) == 1
    with db.connect() as rows:
        assert rows.client_by_id(new.client_id) is None


def _user(engine: Engine) -> str:
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    Users(engine, SystemClock()).create(OPERATOR, email, "password1")
    return email


def _project(engine: Engine) -> int:
    project = "p-" + uuid.uuid4().hex[:10]
    Projects(engine, SystemClock()).create(OPERATOR, project)
    with Database(engine).connect() as rows:
        return int(rows.project_key(project).pk)
