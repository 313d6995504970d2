"""Authorizations (token families) and their refresh tokens
(``accord.protocol.ports.Authorizations``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    insert,
    literal,
    or_,
    select,
    update,
)

from accord.protocol.grants.refresh_token import IDLE_EXPIRY
from accord.protocol.messages import (
    AccessType,
    Authorization,
    CodeGrant,
    Principal,
    PrincipalKind,
)
from accord.storage.grants import hold_grant
from accord.storage.hot import Prepared
from accord.storage.schema import (
    authorizations,
    clients,
    codes,
    grants,
    org_domains,
    users,
)
from accord.storage.sqlbase import SqlBase, split
from accord.storage.users import MEMBER

_A = authorizations.c


def live_refresh(now: Any, idle_since: Any) -> ColumnElement[bool]:
    """A refresh token that still works at `now`: issued, not revoked, not past its
    time-based or testing lifetime, and used since `idle_since` (six months before; reference
    §1.2, §1.3.3). ``accord.protocol.grants.refresh_token`` checks one token the same way."""
    return and_(
        _A.refresh_hash.is_not(None),
        _A.revoked_at.is_(None),
        or_(_A.refresh_expires_at.is_(None), _A.refresh_expires_at > now),
        _A.last_used_at > idle_since,
    )


# Who an authorization belongs to, read beside it (one mapper: _principal).
_PRINCIPAL = (
    _A.principal_kind,
    _A.user_pk,
    users.c.sub,
    users.c.email,
    users.c.email_verified,
    users.c.disabled_at.label("user_disabled_at"),
    org_domains.c.org_pk.label("user_org_pk"),
)


# The same columns for a row that names its user by ``user_pk`` (codes): joined users and
# org_domains (MEMBER) supply the rest.
PRINCIPAL_COLUMNS = _PRINCIPAL[2:]


def _principal(row: Any) -> Principal:
    return Principal(
        kind=PrincipalKind(row.principal_kind),
        pk=row.user_pk,
        sub=row.sub,
        email=row.email,
        email_verified=bool(row.email_verified),
        org_pk=row.user_org_pk,
        disabled=row.user_disabled_at is not None,
    )


_AUTHORIZATION = select(
    _A.pk,
    *_PRINCIPAL,
    _A.client_pk,
    _A.project_pk,
    _A.scopes,
    _A.access_type,
    _A.refresh_hash,
    _A.revoked_at,
    _A.last_used_at,
    _A.created_at,
    _A.refresh_expires_at,
    clients.c.client_id,
).select_from(
    authorizations.join(users, users.c.pk == _A.user_pk)
    .join(clients, clients.c.pk == _A.client_pk)
    .outerjoin(org_domains, MEMBER)
)

def _authorization(row: Any) -> Authorization:
    return Authorization(
        pk=row.pk,
        principal=_principal(row),
        client_pk=row.client_pk,
        project_pk=row.project_pk,
        scopes=split(row.scopes),
        access_type=AccessType(row.access_type),
        has_refresh_token=row.refresh_hash is not None,
        revoked=row.revoked_at is not None,
        last_used_at=row.last_used_at,
        created_at=row.created_at,
        refresh_expires_at=row.refresh_expires_at,
        client_id=row.client_id,
    )


def insert_authorization(
    conn: Connection,
    grant: CodeGrant,
    refresh_hash: str | None,
    now: int,
    principal: Principal | None = None,
    revoked_at: int | None = None,
) -> Authorization:
    """Insert a token family of ``grant``'s user; ``principal``, when the caller read it
    already (a code read with its user), saves reading it again in the transaction."""
    lifetime = grant.refresh_lifetime
    expires = now + lifetime if refresh_hash is not None and lifetime is not None else None
    pk = conn.execute(
        insert(authorizations)
        .values(
            principal_kind=PrincipalKind.USER.value,  # codes are a user's consent
            user_pk=grant.user_pk,
            client_pk=grant.client_pk,
            project_pk=grant.project_pk,
            scopes=" ".join(grant.scopes),
            access_type=grant.access_type.value,
            refresh_hash=refresh_hash,
            created_at=now,
            last_used_at=now,
            refresh_expires_at=expires,
            revoked_at=revoked_at,
        )
        .returning(_A.pk)
    ).scalar_one()
    return Authorization(
        pk=pk,
        principal=principal or _user_principal(conn, grant.user_pk),
        client_pk=grant.client_pk,
        project_pk=grant.project_pk,
        scopes=grant.scopes,
        access_type=grant.access_type,
        has_refresh_token=refresh_hash is not None,
        revoked=revoked_at is not None,
        last_used_at=now,
        created_at=now,
        refresh_expires_at=expires,
    )


principal_of = _principal  # the one mapper, for rows that select PRINCIPAL_COLUMNS


def _user_principal(conn: Connection, user_pk: int) -> Principal:
    """The principal of a new authorization of ``user_pk``, read in its transaction."""
    row = conn.execute(
        select(
            literal(PrincipalKind.USER.value).label("principal_kind"),
            users.c.pk.label("user_pk"),
            *_PRINCIPAL[2:],
        )
        .select_from(users.outerjoin(org_domains, MEMBER))
        .where(users.c.pk == user_pk)
    ).one()
    return _principal(row)


class SqlAuthorizations(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._by_refresh = Prepared(
            _AUTHORIZATION.where(_A.refresh_hash == bindparam("key")), self.engine
        )
        self._live_refresh = Prepared(
            select(_A.pk)
            .where(
                _A.user_pk == bindparam("user"),
                _A.client_pk == bindparam("client"),
                # Expired tokens are not live: the next offline request shows consent again
                # and so gets a new refresh token (reference §1.2, §1.3.3).
                live_refresh(bindparam("now"), bindparam("idle_since")),
            )
            .limit(1),
            self.engine,
        )

    def create_authorization(self, grant: CodeGrant, now: int) -> Authorization:
        with self.engine.begin() as conn:
            # A grant revoked while the request was decided: the family is born revoked.
            revoked = None if hold_grant(conn, grant.user_pk, grant.project_pk) else now
            return insert_authorization(conn, grant, None, now, revoked_at=revoked)

    def by_refresh_hash(self, refresh_hash: str) -> Authorization | None:
        row = self.hot.first(self._by_refresh, key=refresh_hash)
        return _authorization(row) if row else None

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
            # The grant's row first: issuances in flight hold it (hold_grant), so this waits
            # for them and the statements below see what they wrote.
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
