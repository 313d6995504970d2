"""What an organization says about an app (``accord.protocol.ports.Policies``)."""

from __future__ import annotations

from sqlalchemy import select

from accord.protocol.policy import OrgControls
from accord.storage.schema import org_app_access, org_restricted_apis
from accord.storage.sqlbase import SqlBase


class SqlPolicies(SqlBase):
    def org_controls(self, org_pk: int, client_id: str) -> OrgControls:
        access = select(org_app_access.c.access).where(
            org_app_access.c.org_pk == org_pk, org_app_access.c.client_id == client_id
        )
        restricted = select(org_restricted_apis.c.api).where(org_restricted_apis.c.org_pk == org_pk)
        with self.reader.connect() as conn:
            found = conn.execute(access).scalar()
            apis = frozenset(conn.execute(restricted).scalars())
        return OrgControls(access=found or "limited", restricted=apis)
