"""A database as a long-running deployment has it: many token families besides the run's
own (``bench/run.py --prefill N``), bulk inserted in SQL (a million rows in seconds).

The rows belong to ``N / PER_USER`` new users of the seeded client, PER_USER families each
(Google's per-client limit is 100 live refresh tokens): one in ten revoked, one in ten
without a refresh token, the rest with a live refresh token. The token endpoint's reads go
through the primary key, the refresh-token digest (unique) and the (user, client) indexes,
so its cost should not depend on how many rows there are.
"""

from __future__ import annotations

import time

from sqlalchemy import text

from accord.storage.engine import make_engine

PER_USER = 100

_SERIES = {
    "sqlite": "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n) ",
    "postgresql": "",
}
_FROM = {"sqlite": " FROM s", "postgresql": " FROM generate_series(1, :n) AS s(i)"}
_SUB = {"sqlite": "printf('9%019d', i)", "postgresql": "'9' || lpad(i::text, 19, '0')"}
_HASH = {"sqlite": "printf('%064x', i)", "postgresql": "lpad(to_hex(i), 64, '0')"}


def prefill(database_url: str, authorizations: int) -> float:
    """Insert the rows; the seconds it took."""
    started = time.monotonic()
    engine = make_engine(database_url)
    d = engine.dialect.name
    users = max(1, -(-authorizations // PER_USER))
    now = int(time.time())
    with engine.begin() as conn:
        client_pk, project_pk = conn.execute(
            text("SELECT pk, project_pk FROM clients ORDER BY pk LIMIT 1")
        ).one()
        conn.execute(text(
            _SERIES[d] + "INSERT INTO users (sub, email, name, email_verified, password_hash,"
            f" created_at) SELECT {_SUB[d]}, 'bench-' || i || '@prefill.example', '', true,"
            " 'prefilled: no password', :now" + _FROM[d]
        ), {"n": users, "now": now})
        base = conn.execute(
            text("SELECT min(pk) FROM users WHERE email LIKE 'bench-%@prefill.example'")
        ).scalar_one()
        conn.execute(text(
            _SERIES[d] + "INSERT INTO authorizations (principal_kind, user_pk, client_pk,"
            " project_pk, scopes, access_type, refresh_hash, created_at, last_used_at,"
            " revoked_at) SELECT 'user', :base + (i - 1) / :per_user, :client, :project,"
            " 'https://www.googleapis.com/auth/drive.metadata.readonly', 'offline',"
            f" CASE WHEN i % 10 = 1 THEN NULL ELSE {_HASH[d]} END, :now - i, :now - i,"
            " CASE WHEN i % 10 = 0 THEN :now ELSE NULL END" + _FROM[d]
        ), {"n": authorizations, "base": base, "per_user": PER_USER, "client": client_pk,
            "project": project_pk, "now": now})
    with engine.connect() as conn:  # statistics for the planner, as autovacuum would make
        if d == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()
            # Into the database file, as a long-running deployment's checkpoints have it: else
            # the first checkpoint copies the whole insert during the measurements.
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return time.monotonic() - started
