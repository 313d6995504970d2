"""The SQL implementation of ``accord.protocol.ports.Store``: one transaction per call."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from accord.protocol.grants.refresh_token import IDLE_EXPIRY
from accord.protocol.messages import (
    AccessType,
    AuditEvent,
    Authorization,
    Client,
    ClientStatus,
    CodeGrant,
    StoredCode,
    TokenSubject,
    User,
)
from accord.protocol.policy import OrgControls
from accord.storage.audit import record_in
from accord.storage.database import Handle, engine_of
from accord.storage.hot import HotReads, Prepared
from accord.storage.schema import (
    authorizations,
    browser_sessions,
    client_secrets,
    clients,
    codes,
    grants,
    interactions,
    org_app_access,
    org_domains,
    org_restricted_apis,
    project_apis,
    projects,
    test_users,
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
    projects.c.app_name,
    clients.c.redirect_uris,
    clients.c.type,
    clients.c.disabled_at,
    clients.c.deleted_at,
    projects.c.user_type,
    projects.c.publishing_status,
    projects.c.org_pk,
).join(projects, projects.c.pk == clients.c.project_pk)

_SECRETS = select(client_secrets.c.secret_hash).where(
    client_secrets.c.client_pk == bindparam("key"), client_secrets.c.disabled_at.is_(None)
)


def _client(row: Any, secrets: tuple[str, ...]) -> Client:
    status = ClientStatus.ACTIVE
    if row[10] is not None:
        status = ClientStatus.DELETED
    elif row[9] is not None:
        status = ClientStatus.DISABLED
    return Client(
        pk=row[0],
        client_id=row[1],
        project_pk=row[2],
        project_id=row[3],
        project_name=row[6] or row[4],
        name=row[5],
        secret_hashes=secrets,
        redirect_uris=tuple(json.loads(row[7])),
        kind=row[8],
        status=status,
        user_type=row[11],
        testing=row[12] == "testing",
        org_pk=row[13],
    )


# A user belongs to the organization owning their email's domain (Google Workspace), once
# the address is verified: a self-signed-up account cannot claim an organization's domain.
_MEMBER = and_(org_domains.c.domain == users.c.domain, users.c.email_verified)

# Disabled accounts are not found: they cannot sign in and their tokens stop working.
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
    org_domains.c.org_pk,
    users.c.domain,
).select_from(
    users.outerjoin(org_domains, _MEMBER)
).where(users.c.disabled_at.is_(None))


def _user(row: Any) -> User:
    org_pk = row[9]
    return User(
        pk=row[0],
        sub=row[1],
        email=row[2],
        name=row[3],
        email_verified=bool(row[4]),
        given_name=row[5],
        family_name=row[6],
        picture=row[7],
        locale=row[8],
        org_pk=org_pk,
        hd=row[10] if org_pk is not None else "",
    )

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
    _A.created_at,
    _A.refresh_expires_at,
    users.c.disabled_at,
    org_domains.c.org_pk,
    clients.c.client_id,
).select_from(
    authorizations.join(users, users.c.pk == _A.user_pk)
    .join(clients, clients.c.pk == _A.client_pk)
    .outerjoin(org_domains, _MEMBER)
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
    .where(
        users.c.disabled_at.is_(None),
        clients.c.disabled_at.is_(None),
        clients.c.deleted_at.is_(None),
    )
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
    codes.c.refresh_lifetime,
)


def _insert_authorization(
    conn: Connection, grant: CodeGrant, refresh_hash: str | None, now: int
) -> Authorization:
    lifetime = grant.refresh_lifetime
    expires = now + lifetime if refresh_hash is not None and lifetime is not None else None
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
            refresh_expires_at=expires,
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
        created_at=now,
        refresh_expires_at=expires,
    )


def _evict_oldest(conn: Connection, where: Any, keep: int, now: int) -> None:
    """Revoke the live refresh tokens beyond the newest ``keep`` (reference §1.3.3: issuing
    one more "silently invalidates the oldest"). Tokens that stopped working (their
    time-based or testing lifetime over, six months unused) do not count."""
    live = and_(
        where,
        _A.refresh_hash.is_not(None),
        _A.revoked_at.is_(None),
        or_(_A.refresh_expires_at.is_(None), _A.refresh_expires_at > now),
        _A.last_used_at > now - IDLE_EXPIRY,
    )
    oldest = (
        select(_A.pk).where(live).order_by(_A.created_at.desc(), _A.pk.desc()).offset(keep)
    )
    pks = [row[0] for row in conn.execute(oldest)]
    if pks:
        conn.execute(update(authorizations).where(_A.pk.in_(pks)).values(revoked_at=now))


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
        created_at=row[9],
        refresh_expires_at=row[10],
        user_disabled=row[11] is not None,
        user_org_pk=row[12],
        client_id=row[13],
    )


@dataclass(frozen=True)
class RefreshLimits:
    """Live refresh tokens a user may hold (reference §1.3.3): 100 per client, and a larger
    number across all clients (Google's is undocumented; configurable here)."""

    per_client: int = 100
    per_user: int = 1000


class SqlStore:
    def __init__(self, db: Handle, limits: RefreshLimits = RefreshLimits()) -> None:
        self.engine = engine = engine_of(db)
        self.limits = limits
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
        self._secrets = Prepared(_SECRETS, engine)
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
                # Expired tokens are not live: the next offline request shows consent again
                # and so gets a new refresh token (reference §1.2, §1.3.3).
                or_(_A.refresh_expires_at.is_(None), _A.refresh_expires_at > bindparam("now")),
                _A.last_used_at > bindparam("idle_since"),
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
        secrets = tuple(r[0] for r in self.hot.all(self._secrets, key=row[0]))
        return _client(row, secrets)

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
        query = _USER.add_columns(users.c.password_hash).where(
            (users.c.email == key) | (users.c.sub == key)
        )
        with self.reader.connect() as conn:
            row = conn.execute(query).first()
        return (_user(row), row[11]) if row else None

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
                    refresh_lifetime=grant.refresh_lifetime,
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
            refresh_lifetime=row[15],
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
                if refresh_hash is not None:
                    grant = code.grant
                    same = and_(_A.user_pk == grant.user_pk, _A.client_pk == grant.client_pk)
                    _evict_oldest(conn, same, self.limits.per_client, now)
                    _evict_oldest(conn, _A.user_pk == grant.user_pk, self.limits.per_user, now)
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

    def has_live_refresh_token(self, user_pk: int, client_pk: int, now: int) -> bool:
        found = self.hot.first(
            self._live_refresh, user=user_pk, client=client_pk, now=now,
            idle_since=now - IDLE_EXPIRY,
        )
        return found is not None

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

    # Policies ---------------------------------------------------------------
    def is_test_user(self, project_pk: int, email: str) -> bool:
        query = select(test_users.c.email).where(
            test_users.c.project_pk == project_pk, test_users.c.email == email.lower()
        )
        with self.reader.connect() as conn:
            return conn.execute(query).first() is not None

    def org_controls(self, org_pk: int, client_id: str) -> OrgControls:
        access = select(org_app_access.c.access).where(
            org_app_access.c.org_pk == org_pk, org_app_access.c.client_id == client_id
        )
        restricted = select(org_restricted_apis.c.api).where(org_restricted_apis.c.org_pk == org_pk)
        with self.reader.connect() as conn:
            found = conn.execute(access).scalar()
            apis = frozenset(conn.execute(restricted).scalars())
        return OrgControls(access=found or "limited", restricted=apis)

    def consent_screen(self, project_pk: int) -> dict[str, str]:
        """What the consent page shows about the app besides its name: logo and links."""
        p = projects.c
        query = select(
            p.logo_url, p.home_url, p.privacy_url, p.terms_url, p.support_email
        ).where(p.pk == project_pk)
        with self.reader.connect() as conn:
            row = conn.execute(query).first()
        names = ("logo_url", "home_url", "privacy_url", "terms_url", "support_email")
        return dict(zip(names, row, strict=True)) if row else {}

    # Audit ------------------------------------------------------------------
    def record(self, event: AuditEvent) -> None:
        with self.engine.begin() as conn:
            record_in(conn, event)

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
