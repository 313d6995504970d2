"""The SQL implementation of ``accord.protocol.ports.Store``: one transaction per call."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.protocol.messages import (
    AccessType,
    Authorization,
    Client,
    CodeGrant,
    StoredCode,
    TokenSubject,
    User,
)
from accord.storage.hot import HotReads, Prepared
from accord.storage.schema import (
    authorizations,
    browser_sessions,
    clients,
    codes,
    grants,
    interactions,
    project_apis,
    projects,
    users,
)

_A = authorizations.c

_CLIENT = select(
    clients.c.pk,
    clients.c.client_id,
    clients.c.project_pk,
    projects.c.project_id,
    projects.c.name,
    clients.c.name,
    clients.c.secret_hash,
    clients.c.redirect_uris,
).join(projects, projects.c.pk == clients.c.project_pk)

_USER = select(
    users.c.pk,
    users.c.sub,
    users.c.email,
    users.c.name,
    users.c.email_verified,
    users.c.given_name,
    users.c.family_name,
    users.c.picture,
    users.c.locale,
)


def _user(row: Any) -> User:
    return User(row[0], row[1], row[2], row[3], bool(row[4]), *row[5:9])

_AUTHORIZATION = select(
    _A.pk,
    _A.user_pk,
    _A.client_pk,
    _A.project_pk,
    _A.scopes,
    _A.access_type,
    _A.refresh_hash,
    _A.revoked_at,
    _A.last_used_at,
)

_SUBJECT = (
    select(
        _A.pk,
        _A.access_type,
        clients.c.client_id,
        _A.project_pk,
        projects.c.number,
        users.c.pk,
        users.c.sub,
        users.c.email,
        users.c.email_verified,
    )
    .join(clients, clients.c.pk == _A.client_pk)
    .join(projects, projects.c.pk == _A.project_pk)
    .join(users, users.c.pk == _A.user_pk)
)


_CODE = select(
    codes.c.pk,
    codes.c.client_pk,
    codes.c.user_pk,
    codes.c.project_pk,
    codes.c.redirect_uri,
    codes.c.scopes,
    codes.c.access_type,
    codes.c.issue_refresh_token,
    codes.c.code_challenge,
    codes.c.code_challenge_method,
    codes.c.nonce,
    codes.c.auth_time,
    codes.c.expires_at,
    codes.c.consumed_at,
    codes.c.auth_time_requested,
)


def _insert_authorization(
    conn: Connection, grant: CodeGrant, refresh_hash: str | None, now: int
) -> Authorization:
    pk = conn.execute(
        insert(authorizations)
        .values(
            user_pk=grant.user_pk,
            client_pk=grant.client_pk,
            project_pk=grant.project_pk,
            scopes=" ".join(grant.scopes),
            access_type=grant.access_type.value,
            refresh_hash=refresh_hash,
            created_at=now,
            last_used_at=now,
        )
        .returning(_A.pk)
    ).scalar_one()
    return Authorization(
        pk=pk,
        user_pk=grant.user_pk,
        client_pk=grant.client_pk,
        project_pk=grant.project_pk,
        scopes=grant.scopes,
        access_type=grant.access_type,
        has_refresh_token=refresh_hash is not None,
        revoked=False,
        last_used_at=now,
    )


class _Lost(Exception):
    """A concurrent exchange consumed the code first."""


def _split(scopes: str) -> tuple[str, ...]:
    return tuple(scopes.split()) if scopes else ()


def _authorization(row: tuple) -> Authorization:  # type: ignore[type-arg]
    return Authorization(
        pk=row[0],
        user_pk=row[1],
        client_pk=row[2],
        project_pk=row[3],
        scopes=_split(row[4]),
        access_type=AccessType(row[5]),
        has_refresh_token=row[6] is not None,
        revoked=row[7] is not None,
        last_used_at=row[8],
    )


class SqlStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Single-statement reads run in autocommit on PostgreSQL: no BEGIN/ROLLBACK round
        # trips. (On SQLite switching the level per checkout costs more than it saves.)
        # Writes use engine.begin(). The hottest reads go through HotReads.
        self.reader = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.hot = HotReads(engine)
        self._client = Prepared(_CLIENT.where(clients.c.client_id == bindparam("key")), engine)
        self._by_refresh = Prepared(
            _AUTHORIZATION.where(_A.refresh_hash == bindparam("key")), engine
        )
        self._subject = Prepared(
            _SUBJECT.where(_A.pk == bindparam("key"), _A.revoked_at.is_(None)), engine
        )
        self._apis = Prepared(
            select(project_apis.c.api).where(project_apis.c.project_pk == bindparam("key")),
            engine,
        )
        self._user = Prepared(_USER.where(users.c.pk == bindparam("key")), engine)
        self._grant = Prepared(
            select(grants.c.scopes).where(
                grants.c.user_pk == bindparam("user"), grants.c.project_pk == bindparam("project")
            ),
            engine,
        )
        self._live_refresh = Prepared(
            select(_A.pk)
            .where(
                _A.user_pk == bindparam("user"),
                _A.client_pk == bindparam("client"),
                _A.refresh_hash.is_not(None),
                _A.revoked_at.is_(None),
            )
            .limit(1),
            engine,
        )
        self._code = Prepared(_CODE.where(codes.c.code_hash == bindparam("key")), engine)

    # Clients ---------------------------------------------------------------
    def client(self, client_id: str) -> Client | None:
        row = self.hot.first(self._client, key=client_id)
        if row is None:
            return None
        return Client(
            pk=row[0],
            client_id=row[1],
            project_pk=row[2],
            project_id=row[3],
            project_name=row[4],
            name=row[5],
            secret_hash=row[6],
            redirect_uris=tuple(json.loads(row[7])),
        )

    # Users -----------------------------------------------------------------
    def user_by_pk(self, pk: int) -> User | None:
        with self.reader.connect() as conn:
            row = conn.execute(_USER.where(users.c.pk == pk)).first()
        return _user(row) if row else None

    def users_by_pk(self, pks: list[int]) -> list[User]:
        """The signed-in accounts of a browser (a handful), in the order given."""
        rows = (self.hot.first(self._user, key=pk) for pk in pks)
        return [_user(row) for row in rows if row is not None]

    def user_by_login(self, email_or_sub: str) -> tuple[User, str] | None:
        key = email_or_sub.strip().lower()
        query = select(*_USER.selected_columns, users.c.password_hash).where(
            (users.c.email == key) | (users.c.sub == key)
        )
        with self.reader.connect() as conn:
            row = conn.execute(query).first()
        return (_user(row), row[9]) if row else None

    # Grants ----------------------------------------------------------------
    def granted_scopes(self, user_pk: int, project_pk: int) -> frozenset[str]:
        row = self.hot.first(self._grant, user=user_pk, project=project_pk)
        return frozenset(_split(row[0])) if row else frozenset()

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
                union = " ".join(sorted(set(_split(current[0])) | scopes))
                conn.execute(update(grants).where(where).values(scopes=union, updated_at=now))

    # Codes -----------------------------------------------------------------
    def save_code(self, code_hash: str, grant: CodeGrant, now: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(codes).values(
                    code_hash=code_hash,
                    client_pk=grant.client_pk,
                    user_pk=grant.user_pk,
                    project_pk=grant.project_pk,
                    redirect_uri=grant.redirect_uri,
                    scopes=" ".join(grant.scopes),
                    access_type=grant.access_type.value,
                    issue_refresh_token=grant.issue_refresh_token,
                    code_challenge=grant.code_challenge,
                    code_challenge_method=grant.code_challenge_method,
                    nonce=grant.nonce,
                    auth_time=grant.auth_time,
                    auth_time_requested=grant.auth_time_requested,
                    created_at=now,
                    expires_at=grant.expires_at,
                )
            )

    def find_code(self, code_hash: str) -> StoredCode | None:
        row = self.hot.first(self._code, key=code_hash)
        if row is None:
            return None
        grant = CodeGrant(
            client_pk=row[1],
            user_pk=row[2],
            project_pk=row[3],
            redirect_uri=row[4],
            scopes=_split(row[5]),
            access_type=AccessType(row[6]),
            issue_refresh_token=bool(row[7]),
            code_challenge=row[8],
            code_challenge_method=row[9],
            nonce=row[10],
            auth_time=row[11],
            expires_at=row[12],
            auth_time_requested=bool(row[14]),
        )
        return StoredCode(pk=row[0], grant=grant, consumed=row[13] is not None)

    def redeem_code(
        self, code: StoredCode, refresh_hash: str | None, now: int
    ) -> Authorization | None:
        try:
            with self.engine.begin() as conn:
                authorization = _insert_authorization(conn, code.grant, refresh_hash, now)
                # One conditional UPDATE decides which of two concurrent exchanges wins;
                # the loser's authorization is rolled back with its transaction.
                claimed = conn.execute(
                    update(codes)
                    .where(codes.c.pk == code.pk, codes.c.consumed_at.is_(None))
                    .values(consumed_at=now, authorization_pk=authorization.pk)
                )
                if claimed.rowcount != 1:
                    raise _Lost
        except _Lost:
            return None
        return authorization

    def create_authorization(self, grant: CodeGrant, now: int) -> Authorization:
        with self.engine.begin() as conn:
            return _insert_authorization(conn, grant, None, now)

    def revoke_code_family(self, code_pk: int, now: int) -> None:
        family = select(codes.c.authorization_pk).where(codes.c.pk == code_pk).scalar_subquery()
        with self.engine.begin() as conn:
            conn.execute(
                update(authorizations)
                .where(_A.pk == family, _A.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    # Authorizations --------------------------------------------------------
    def by_refresh_hash(self, refresh_hash: str) -> Authorization | None:
        row = self.hot.first(self._by_refresh, key=refresh_hash)
        return _authorization(row) if row else None

    def subject(self, authorization_pk: int) -> TokenSubject | None:
        row = self.hot.first(self._subject, key=authorization_pk)
        if row is None:
            return None
        return TokenSubject(
            authorization_pk=row[0],
            scopes=(),
            expires_at=0,
            access_type=AccessType(row[1]),
            client_id=row[2],
            project_pk=row[3],
            project_number=row[4],
            user_pk=row[5],
            user_sub=row[6],
            user_email=row[7],
            user_email_verified=bool(row[8]),
        )

    def enabled_apis(self, project_pk: int) -> frozenset[str]:
        return frozenset(row[0] for row in self.hot.all(self._apis, key=project_pk))

    def has_live_refresh_token(self, user_pk: int, client_pk: int) -> bool:
        return self.hot.first(self._live_refresh, user=user_pk, client=client_pk) is not None

    def touch(self, authorization_pk: int, now: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(authorizations).where(_A.pk == authorization_pk).values(last_used_at=now)
            )

    def revoke_grant(self, user_pk: int, project_pk: int, now: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                grants.delete().where(
                    grants.c.user_pk == user_pk, grants.c.project_pk == project_pk
                )
            )
            conn.execute(
                update(authorizations)
                .where(_A.user_pk == user_pk, _A.project_pk == project_pk, _A.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            # Codes not yet exchanged belong to the grant too.
            conn.execute(
                update(codes)
                .where(
                    codes.c.user_pk == user_pk,
                    codes.c.project_pk == project_pk,
                    codes.c.consumed_at.is_(None),
                )
                .values(consumed_at=now)
            )

    # Housekeeping -----------------------------------------------------------
    def purge(self, now: int, keep: int = 24 * 3600) -> int:
        """Delete codes and interactions that expired more than ``keep`` seconds ago.

        A code past its lifetime can only be refused, so its row has no use left; the
        day of grace keeps replays of recently used codes answered as replays."""
        with self.engine.begin() as conn:
            deleted = conn.execute(codes.delete().where(codes.c.expires_at < now - keep))
            gone = conn.execute(
                interactions.delete().where(interactions.c.expires_at < now - keep)
            )
            # A session cookie lives 14 days from its last change.
            idle = conn.execute(
                browser_sessions.delete().where(
                    browser_sessions.c.updated_at < now - 14 * 24 * 3600 - keep
                )
            )
        return int(deleted.rowcount + gone.rowcount + idle.rowcount)
