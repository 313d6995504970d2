"""An organization's API controls (app access: trusted, limited, blocked; restricted
services) and its audit log (reference §1.10)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from accord.google.apis import APIS
from accord.services import rules
from accord.services.actors import Actor, org_pk
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.views import AppAccessView, AuditView
from accord.storage.audit import AuditLog
from accord.storage.schema import clients, org_app_access, org_restricted_apis, projects

ACCESS = ("trusted", "limited", "blocked")  # unlisted apps are limited
MAX_AUDIT = 1000
_A = org_app_access
_R = org_restricted_apis


def _api(api: str) -> str:
    if api not in APIS:
        raise ServiceError(f"unknown API: {api}; known: {', '.join(APIS)}", field="api")
    return api


class OrgPolicyMixin(Service):
    def app_access(self, actor: Actor, org_id: str) -> list[AppAccessView]:
        with self.engine.connect() as conn:
            pk = org_pk(conn, actor, org_id)
            rows = conn.execute(
                select(_A, projects.c.app_name, projects.c.name)
                .outerjoin(clients, clients.c.client_id == _A.c.client_id)
                .outerjoin(projects, projects.c.pk == clients.c.project_pk)
                .where(_A.c.org_pk == pk)
                .order_by(_A.c.client_id)
            ).all()
        return [
            AppAccessView(r.client_id, r.access, r.updated_at, r.app_name or r.name or "")
            for r in rows
        ]

    def set_app_access(self, actor: Actor, org_id: str, client_id: str, access: str) -> None:
        """trusted, limited or blocked for one app (OAuth client ID)."""
        rules.choice(access, ACCESS, "access")
        client_id = client_id.strip()
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id)
            exists = conn.execute(
                select(clients.c.pk).where(clients.c.client_id == client_id)
            ).first()
            if exists is None:
                raise ServiceError(f"no OAuth client {client_id!r}", field="client_id")
            conn.execute(delete(_A).where(_A.c.org_pk == pk, _A.c.client_id == client_id))
            conn.execute(insert(_A).values(
                org_pk=pk, client_id=client_id, access=access, updated_at=self.clock.now()
            ))
            self._audit(conn, actor, "policy.app_access", org_pk=pk, client_id=client_id,
                        access=access)

    def restricted_apis(self, actor: Actor, org_id: str) -> list[str]:
        with self.engine.connect() as conn:
            pk = org_pk(conn, actor, org_id)
            return list(conn.execute(
                select(_R.c.api).where(_R.c.org_pk == pk).order_by(_R.c.api)
            ).scalars())

    def restrict_api(self, actor: Actor, org_id: str, api: str) -> None:
        """Only trusted apps may ask for the API's scopes."""
        _api(api)
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id)
            if conn.execute(
                select(_R.c.api).where(_R.c.org_pk == pk, _R.c.api == api)
            ).first() is None:
                conn.execute(insert(_R).values(org_pk=pk, api=api, updated_at=self.clock.now()))
                self._audit(conn, actor, "policy.api_restricted", org_pk=pk, api=api)

    def unrestrict_api(self, actor: Actor, org_id: str, api: str) -> None:
        _api(api)
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id)
            gone = conn.execute(delete(_R).where(_R.c.org_pk == pk, _R.c.api == api))
            if not gone.rowcount:
                raise NotFound(f"{api} is not restricted in {org_id}", field="api")
            self._audit(conn, actor, "policy.api_unrestricted", org_pk=pk, api=api)

    def audit(
        self, actor: Actor, org_id: str, limit: int = 100, before: int | None = None
    ) -> list[AuditView]:
        """The organization's events, newest first; page on with ``before`` = the last id."""
        if not 1 <= limit <= MAX_AUDIT:
            raise ServiceError(f"the limit must be from 1 to {MAX_AUDIT}", field="limit")
        with self.engine.connect() as conn:
            pk = org_pk(conn, actor, org_id)
        rows = AuditLog(self.engine).recent(org_pk=pk, limit=limit, before_pk=before)
        return [
            AuditView(
                id=r["pk"], at=r["at"], event=r["event"], email=r["email"],
                client_id=r["client_id"], address=r["address"], outcome=r["outcome"],
                detail=tuple((str(k), str(v)) for k, v in r["detail"].items()),
            )
            for r in rows
        ]
