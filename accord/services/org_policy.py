"""An organization's API controls (app access: trusted, limited, blocked; restricted
services) and its audit log (reference §1.10)."""

from __future__ import annotations

from accord.google.apis import APIS
from accord.services import rules
from accord.services.actors import Actor, org_pk
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.views import AppAccessView, AuditView

ACCESS = ("trusted", "limited", "blocked")  # unlisted apps are limited
MAX_AUDIT = 1000


def _api(api: str) -> str:
    if api not in APIS:
        raise ServiceError(f"unknown API: {api}; known: {', '.join(APIS)}", field="api")
    return api


class OrgPolicyMixin(Service):
    def app_access(self, actor: Actor, org_id: str) -> list[AppAccessView]:
        with self.db.connect() as tx:
            pk = org_pk(tx, actor, org_id)
            rows = tx.app_access(pk)
        return [
            AppAccessView(r.client_id, r.access, r.updated_at, r.app_name or r.name or "")
            for r in rows
        ]

    def set_app_access(self, actor: Actor, org_id: str, client_id: str, access: str) -> None:
        """trusted, limited or blocked for one app (OAuth client ID)."""
        rules.choice(access, ACCESS, "access")
        client_id = client_id.strip()
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            if not tx.client_exists(client_id):
                raise ServiceError(f"no OAuth client {client_id!r}", field="client_id")
            tx.set_app_access(pk, client_id, access, self.clock.now())
            self._audit(tx, actor, "policy.app_access", org_pk=pk, client_id=client_id,
                        access=access)

    def restricted_apis(self, actor: Actor, org_id: str) -> list[str]:
        with self.db.connect() as tx:
            pk = org_pk(tx, actor, org_id)
            return tx.restricted_apis(pk)

    def restrict_api(self, actor: Actor, org_id: str, api: str) -> None:
        """Only trusted apps may ask for the API's scopes."""
        _api(api)
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            if not tx.is_restricted(pk, api):
                tx.restrict(pk, api, self.clock.now())
                self._audit(tx, actor, "policy.api_restricted", org_pk=pk, api=api)

    def unrestrict_api(self, actor: Actor, org_id: str, api: str) -> None:
        _api(api)
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            if not tx.unrestrict(pk, api):
                raise NotFound(f"{api} is not restricted in {org_id}", field="api")
            self._audit(tx, actor, "policy.api_unrestricted", org_pk=pk, api=api)

    def audit(
        self, actor: Actor, org_id: str, limit: int = 100, before: int | None = None
    ) -> list[AuditView]:
        """The organization's events, newest first; page on with ``before`` = the last id."""
        if not 1 <= limit <= MAX_AUDIT:
            raise ServiceError(f"the limit must be from 1 to {MAX_AUDIT}", field="limit")
        with self.db.connect() as tx:
            pk = org_pk(tx, actor, org_id)
        rows = self.db.recent_events(org_pk=pk, limit=limit, before_pk=before)
        return [
            AuditView(
                id=r["pk"], at=r["at"], event=r["event"], email=r["email"],
                client_id=r["client_id"], address=r["address"], outcome=r["outcome"],
                detail=tuple((str(k), str(v)) for k, v in r["detail"].items()),
            )
            for r in rows
        ]
