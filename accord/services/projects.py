"""Projects: create, list, rename, delete, and the APIs they enable (reference §1.2, §1.22).

Members and the consent screen are in :mod:`members` and :mod:`consent`; :class:`Projects`
brings the three together.
"""

from __future__ import annotations

import builtins
from typing import Any

from accord.google import identifiers
from accord.google.apis import APIS
from accord.services import rules
from accord.services.actors import Actor, Member, Operator, org_missing, project_ref
from accord.services.base import Service
from accord.services.consent import ConsentMixin
from accord.services.errors import Conflict, ServiceError
from accord.services.members import MembersMixin
from accord.services.ports import Rows
from accord.services.views import ApiView, ProjectView
from accord.storage.database import Duplicate


def _view(row: Any, role: str) -> ProjectView:
    return ProjectView(row.project_id, row.number, row.name, row.created_at, row.org_id, role)


def _org_for(tx: Rows, actor: Actor, org_id: str | None) -> int | None:
    """The organization a new project belongs to: the one named (the operator may name
    any; an account its own or one it administers), else the account's own."""
    if isinstance(actor, Operator):
        if org_id is None:
            return None
        found = tx.org_pk_of(org_id)
        if found is None:
            raise org_missing(org_id)
        return int(found)
    # Only a verified address makes an account the organization's (self-sign-up is not).
    domain = tx.verified_domain(actor.user_pk)
    own = tx.org_of_domain(domain or "")
    if org_id is None:
        return None if own is None else int(own)
    pk = tx.org_pk_of(org_id)
    administers = pk is not None and tx.is_org_admin(pk, actor.user_pk)
    if pk is None or (pk != own and not administers):
        raise org_missing(org_id)
    return int(pk)


class Projects(MembersMixin, ConsentMixin, Service):
    def create(
        self, actor: Actor, project_id: str, name: str = "", org_id: str | None = None
    ) -> ProjectView:
        """A new project; an account creating it becomes its owner."""
        rules.project_id(project_id)
        name = rules.text(name or project_id, "name")
        now = self.clock.now()
        try:
            with self.db.begin() as tx:
                org_pk = _org_for(tx, actor, org_id)
                pk = tx.insert_project(
                    project_id, identifiers.new_project_number(), name, now, org_pk
                )
                if isinstance(actor, Member):
                    tx.insert_member(pk, actor.user_pk, "owner", now)
                self._audit(tx, actor, "project.created", org_pk=org_pk, project_pk=pk,
                            project_id=project_id)
                row = tx.project_view(pk)
        except Duplicate:
            raise Conflict(f"the project {project_id} exists already",
                           field="project_id") from None
        return _view(row, "owner")

    def list(self, actor: Actor) -> list[ProjectView]:
        """All projects for the operator; an account's own projects otherwise."""
        with self.db.connect() as tx:
            if isinstance(actor, Operator):
                return [_view(row, "owner") for row in tx.project_views()]
            rows = tx.member_project_views(actor.user_pk)
        return [_view(row, row.role) for row in rows]

    def get(self, actor: Actor, project_id: str) -> ProjectView:
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            return _view(tx.project_view(ref.pk), ref.role)

    def rename(self, actor: Actor, project_id: str, name: str) -> ProjectView:
        name = rules.text(name, "name")
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            tx.update_project(ref.pk, {"name": name})
            self._audit(tx, actor, "project.renamed", org_pk=ref.org_pk, project_pk=ref.pk,
                        name=name)
            return _view(tx.project_view(ref.pk), ref.role)

    def delete(self, actor: Actor, project_id: str) -> None:
        """Delete the project with its clients, grants and tokens (owners only)."""
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "owner")
            tx.delete_project(ref.pk)
            self._audit(tx, actor, "project.deleted", org_pk=ref.org_pk, project_pk=ref.pk,
                        project_id=project_id)

    # APIs (reference §1.22: a call to an API the project has not enabled is refused) ----
    def apis(self, actor: Actor, project_id: str) -> builtins.list[ApiView]:
        """Every known API, with whether the project enabled it."""
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            enabled = tx.enabled_apis(ref.pk)
        return [ApiView(a.name, a.title, a.service, a.name in enabled) for a in APIS.values()]

    def enable_apis(self, actor: Actor, project_id: str, apis: builtins.list[str]) -> None:
        unknown = [api for api in apis if api not in APIS]
        if unknown:
            raise ServiceError(
                f"unknown API(s): {', '.join(unknown)}; known: {', '.join(APIS)}", field="api"
            )
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            enabled = tx.enabled_apis(ref.pk)
            for api in dict.fromkeys(apis):
                if api not in enabled:
                    tx.enable_api(ref.pk, api, self.clock.now())
                    self._audit(tx, actor, "api.enabled", org_pk=ref.org_pk,
                                project_pk=ref.pk, api=api)

    def enable_api(self, actor: Actor, project_id: str, api: str) -> None:
        self.enable_apis(actor, project_id, [api])

    def disable_api(self, actor: Actor, project_id: str, api: str) -> None:
        if api not in APIS:
            raise ServiceError(f"unknown API: {api}; known: {', '.join(APIS)}", field="api")
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            if tx.disable_api(ref.pk, api):
                self._audit(tx, actor, "api.disabled", org_pk=ref.org_pk, project_pk=ref.pk,
                            api=api)
