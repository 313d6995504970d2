"""The live authorization behind an access token (``accord.protocol.ports.Authorizations
.subject``), whoever it belongs to, and the revocation of one authorization.

An authorization belongs to a user (a code exchange; or domain-wide delegation, when a
service account acts for the user) or to a service account itself (the JWT-bearer grant,
the IAM Credentials API). Its row names the client it was issued to, or, with no OAuth
client, the service account: the "client id" tokeninfo and the audit log show is then the
account's unique id, as at Google. A disabled user, a disabled or deleted client, and a
disabled or deleted account (the issuing one, for delegation) leave no subject: every
token of theirs stops working at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select, update

from accord.protocol.messages import AccessType, Principal, PrincipalKind, TokenSubject
from accord.storage.hot import Prepared
from accord.storage.schema import (
    authorizations,
    clients,
    org_domains,
    projects,
    service_accounts,
    users,
)
from accord.storage.sqlbase import SqlBase
from accord.storage.users import MEMBER

_A = authorizations.c
_SA = service_accounts.c

_SUBJECT = (
    select(
        _A.pk,
        _A.access_type,
        func.coalesce(clients.c.client_id, _SA.unique_id).label("client_id"),
        _A.project_pk,
        projects.c.number,
        _A.principal_kind,
        _A.user_pk,
        _A.service_account_pk,
        users.c.sub,
        users.c.email,
        users.c.email_verified,
        org_domains.c.org_pk.label("user_org_pk"),
        _SA.unique_id.label("account_unique_id"),
        _SA.email.label("account_email"),
        projects.c.org_pk.label("project_org_pk"),
    )
    .select_from(
        authorizations.join(projects, projects.c.pk == _A.project_pk)
        .outerjoin(clients, clients.c.pk == _A.client_pk)
        .outerjoin(users, users.c.pk == _A.user_pk)
        .outerjoin(org_domains, MEMBER)
        .outerjoin(service_accounts, _SA.pk == _A.service_account_pk)
    )
    .where(
        _A.pk == bindparam("key"),
        _A.revoked_at.is_(None),
        # Each is NULL when the row has no such party (outer joins).
        users.c.disabled_at.is_(None),
        clients.c.disabled_at.is_(None),
        clients.c.deleted_at.is_(None),
        _SA.disabled_at.is_(None),
        _SA.deleted_at.is_(None),
    )
)


def _subject_principal(row: Any) -> Principal:
    if row.principal_kind == PrincipalKind.SERVICE_ACCOUNT.value:
        return Principal(
            kind=PrincipalKind.SERVICE_ACCOUNT,
            pk=row.service_account_pk,
            sub=row.account_unique_id,
            email=row.account_email,
            email_verified=True,
            org_pk=row.project_org_pk,
        )
    return Principal(
        kind=PrincipalKind(row.principal_kind),
        pk=row.user_pk,
        sub=row.sub,
        email=row.email,
        email_verified=bool(row.email_verified),
        org_pk=row.user_org_pk,
    )


class SqlSubjects(SqlBase):
    def _prepare(self) -> None:
        super()._prepare()
        self._subject = Prepared(_SUBJECT, self.engine)

    def subject(self, authorization_pk: int) -> TokenSubject | None:
        row = self.hot.first(self._subject, key=authorization_pk)
        if row is None:
            return None
        return TokenSubject(
            authorization_pk=row.pk,
            scopes=(),
            expires_at=0,
            access_type=AccessType(row.access_type),
            client_id=row.client_id,
            project_pk=row.project_pk,
            project_number=row.number,
            principal=_subject_principal(row),
            service_account_pk=row.service_account_pk,
        )

    def revoke_authorization(self, authorization_pk: int, now: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(authorizations)
                .where(_A.pk == authorization_pk, _A.revoked_at.is_(None))
                .values(revoked_at=now)
            )
