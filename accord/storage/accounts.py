"""What the account pages read and write: apps with access, passwords, sign-in counters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.storage.database import Handle, engine_of
from accord.storage.hot import HotReads, Prepared
from accord.storage.schema import (
    authorizations,
    grants,
    org_domains,
    projects,
    signin_throttle,
    users,
)

_T = signin_throttle.c


@dataclass(frozen=True)
class AppAccess:
    """One project the user granted access to (Google's "Third-party apps with account
    access"); ``last_used_at`` is None when no token was ever issued."""

    project_pk: int
    app_name: str
    scopes: tuple[str, ...]
    since: int
    last_used_at: int | None


class Accounts:
    def __init__(self, db: Handle) -> None:
        self.engine = engine_of(db)

    def apps_with_access(self, user_pk: int) -> list[AppAccess]:
        last_used = func.max(authorizations.c.last_used_at).label("last_used_at")
        query = (
            select(
                grants.c.project_pk,
                projects.c.app_name,
                projects.c.name,
                grants.c.scopes,
                grants.c.created_at,
                last_used,
            )
            .select_from(
                grants.join(projects, projects.c.pk == grants.c.project_pk).outerjoin(
                    authorizations,
                    and_(
                        authorizations.c.user_pk == grants.c.user_pk,
                        authorizations.c.project_pk == grants.c.project_pk,
                    ),
                )
            )
            .where(grants.c.user_pk == user_pk)
            .group_by(
                grants.c.project_pk,
                projects.c.app_name,
                projects.c.name,
                grants.c.scopes,
                grants.c.created_at,
            )
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        apps = [
            AppAccess(
                project_pk=row.project_pk,
                app_name=row.app_name or row.name,
                scopes=tuple(row.scopes.split()),
                since=row.created_at,
                last_used_at=row.last_used_at,
            )
            for row in rows
        ]
        return sorted(apps, key=lambda a: (a.app_name.lower(), a.project_pk))

    def set_password(self, user_pk: int, password_hash: str, now: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(users)
                .where(users.c.pk == user_pk, users.c.disabled_at.is_(None))
                .values(password_hash=password_hash, password_changed_at=now)
            )
        return done.rowcount == 1

    def org_of_domain(self, domain: str) -> int | None:
        """The organization owning an email domain; its accounts are made by its admins."""
        with self.engine.connect() as conn:
            pk = conn.execute(
                select(org_domains.c.org_pk).where(org_domains.c.domain == domain.lower())
            ).scalar()
        return None if pk is None else int(pk)


class SqlThrottleCounters:
    """Failed sign-ins per key in fixed windows, shared by every server process.

    A failure is one UPDATE that either counts on in the current window or starts a new
    one (both SET expressions read the row's old values, on SQLite and PostgreSQL alike);
    the first failure of a key INSERTs, and a racing INSERT that loses counts again.
    """

    def __init__(self, db: Handle) -> None:
        self.engine = engine_of(db)
        # Asked before every client-secret check and sign-in: a prepared hot read of up to
        # three keys (unused ones bound to "", which no digest equals).
        self.hot = HotReads(self.engine)
        self._counts = Prepared(
            select(_T.key_hash, _T.failures).where(
                _T.key_hash.in_([bindparam("k0"), bindparam("k1"), bindparam("k2")]),
                _T.window_start > bindparam("since"),
            ),
            self.engine,
        )

    def counts(self, keys: list[str], now: int, window: int) -> dict[str, int]:
        """Failures of each key in its current window (absent keys: 0)."""
        if len(keys) <= 3:
            padded = [*keys, "", "", ""]
            rows = self.hot.all(
                self._counts, k0=padded[0], k1=padded[1], k2=padded[2], since=now - window
            )
            return {row.key_hash: int(row.failures) for row in rows}
        query = select(_T.key_hash, _T.failures).where(
            _T.key_hash.in_(keys), _T.window_start > now - window
        )
        with self.engine.connect() as conn:
            return {row.key_hash: int(row.failures) for row in conn.execute(query)}

    def fail(self, key: str, now: int, window: int) -> None:
        if self._count_on(key, now, window):
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(signin_throttle).values(key_hash=key, failures=1, window_start=now)
                )
        except IntegrityError:  # another worker inserted it first: count on its row
            self._count_on(key, now, window)

    def _count_on(self, key: str, now: int, window: int) -> bool:
        expired = _T.window_start <= now - window
        with self.engine.begin() as conn:
            done = conn.execute(
                update(signin_throttle)
                .where(_T.key_hash == key)
                .values(
                    failures=case((expired, 1), else_=_T.failures + 1),
                    window_start=case((expired, now), else_=_T.window_start),
                )
            )
        return done.rowcount > 0

    def reset(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(signin_throttle).where(_T.key_hash == key))

    def purge(self, now: int, window: int) -> int:
        """Forget counters whose window is over."""
        with self.engine.begin() as conn:
            done = conn.execute(delete(signin_throttle).where(_T.window_start <= now - window))
        return int(done.rowcount)

