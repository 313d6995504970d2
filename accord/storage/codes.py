"""Authorization codes: saved by hash, redeemed once (``accord.protocol.ports.Codes``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, literal, select, update

from accord.protocol.grants.refresh_token import IDLE_EXPIRY
from accord.protocol.messages import AccessType, Authorization, CodeGrant, PrincipalKind, StoredCode
from accord.storage.authorizations import (
    PRINCIPAL_COLUMNS,
    insert_authorization,
    live_refresh,
    principal_of,
)
from accord.storage.grants import hold_grant
from accord.storage.hot import Prepared
from accord.storage.schema import authorizations, codes, org_domains, users
from accord.storage.sqlbase import SqlBase, split
from accord.storage.users import MEMBER

_A = authorizations.c
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
    # The code's user, read with it: redeeming needs no second read (principal_of).
    literal(PrincipalKind.USER.value).label("principal_kind"),
    *PRINCIPAL_COLUMNS,
).select_from(
    codes.join(users, users.c.pk == codes.c.user_pk).outerjoin(org_domains, MEMBER)
)


class _Lost(Exception):
    """A concurrent exchange consumed the code first."""


def _code(row: Any) -> StoredCode:
    grant = CodeGrant(
        client_pk=row.client_pk,
        user_pk=row.user_pk,
        project_pk=row.project_pk,
        redirect_uri=row.redirect_uri,
        scopes=split(row.scopes),
        access_type=AccessType(row.access_type),
        issue_refresh_token=bool(row.issue_refresh_token),
        code_challenge=row.code_challenge,
        code_challenge_method=row.code_challenge_method,
        nonce=row.nonce,
        auth_time=row.auth_time,
        expires_at=row.expires_at,
        auth_time_requested=bool(row.auth_time_requested),
        refresh_lifetime=row.refresh_lifetime,
    )
    return StoredCode(
        pk=row.pk, grant=grant, consumed=row.consumed_at is not None, principal=principal_of(row)
    )


def evict_oldest(conn: Connection, where: Any, keep: int, now: int) -> None:
    """Revoke the live refresh tokens beyond the newest ``keep`` (reference §1.3.3: issuing
    one more "silently invalidates the oldest"). Tokens that stopped working (their
    time-based or testing lifetime over, six months unused) do not count."""
    live = and_(where, live_refresh(now, now - IDLE_EXPIRY))
    oldest = (
        select(_A.pk).where(live).order_by(_A.created_at.desc(), _A.pk.desc()).offset(keep)
    )
    pks = [row.pk for row in conn.execute(oldest)]
    if pks:
        conn.execute(update(authorizations).where(_A.pk.in_(pks)).values(revoked_at=now))


class SqlCodes(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._code = Prepared(_CODE.where(codes.c.code_hash == bindparam("key")), self.engine)

    def save_code(self, code_hash: str, grant: CodeGrant, now: int) -> None:
        with self.engine.begin() as conn:
            # A code of a grant revoked while the request was decided is saved used: the
            # client's exchange of it is refused (hold_grant).
            live = hold_grant(conn, grant.user_pk, grant.project_pk)
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
                    consumed_at=None if live else now,
                )
            )

    def find_code(self, code_hash: str) -> StoredCode | None:
        row = self.hot.first(self._code, key=code_hash)
        return None if row is None else _code(row)

    def redeem_code(
        self, code: StoredCode, refresh_hash: str | None, now: int
    ) -> Authorization | None:
        try:
            with self.engine.begin() as conn:
                grant = code.grant
                if not hold_grant(conn, grant.user_pk, grant.project_pk):
                    # Revoked: revoke_grant used the code, or it was saved after it.
                    conn.execute(
                        update(codes)
                        .where(codes.c.pk == code.pk, codes.c.consumed_at.is_(None))
                        .values(consumed_at=now)
                    )
                    return None
                authorization = insert_authorization(
                    conn, code.grant, refresh_hash, now, code.principal
                )
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
                    same = and_(_A.user_pk == grant.user_pk, _A.client_pk == grant.client_pk)
                    evict_oldest(conn, same, self.limits.per_client, now)
                    evict_oldest(conn, _A.user_pk == grant.user_pk, self.limits.per_user, now)
        except _Lost:
            return None
        return authorization

    def revoke_code_family(self, code_pk: int, now: int) -> None:
        family = select(codes.c.authorization_pk).where(codes.c.pk == code_pk).scalar_subquery()
        with self.engine.begin() as conn:
            conn.execute(
                update(authorizations)
                .where(_A.pk == family, _A.revoked_at.is_(None))
                .values(revoked_at=now)
            )
