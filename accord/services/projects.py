"""Projects: create, list, rename, delete, and the APIs they enable (reference §1.2, §1.22).

Members and the consent screen are in :mod:`members` and :mod:`consent`; :class:`Projects`
brings the three together.
"""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from accord.google import identifiers
from accord.google.apis import APIS
from accord.services import rules
from accord.services.actors import Actor, Member, Operator, org_missing, project_ref
from accord.services.base import Service
from accord.services.consent import ConsentMixin
from accord.services.errors import Conflict, ServiceError
from accord.services.members import MembersMixin
from accord.services.views import ApiView, ProjectView
from accord.storage.schema import (
    org_admins,
    org_domains,
    organizations,
    project_apis,
    project_members,
    projects,
    users,
)

_VIEW = select(
    projects.c.pk, projects.c.project_id, projects.c.number, projects.c.name,
    projects.c.created_at, organizations.c.org_id,
).outerjoin(organizations, organizations.c.pk == projects.c.org_pk)


def _view(row: Any, role: str) -> ProjectView:
    return ProjectView(row.project_id, row.number, row.name, row.created_at, row.org_id, role)


def _org_for(conn: Connection, actor: Actor, org_id: str | None) -> int | None:
    """The organization a new project belongs to: the one named (the operator may name
    any; an account its own or one it administers), else the account's own."""
    if isinstance(actor, Operator):
        if org_id is None:
            return None
        found = conn.execute(
            select(organizations.c.pk).where(organizations.c.org_id == org_id)
        ).scalar()
        if found is None:
            raise org_missing(org_id)
        return int(found)
    # Only a verified address makes an account the organization's (self-sign-up is not).
    domain = conn.execute(
        select(users.c.domain).where(users.c.pk == actor.user_pk, users.c.email_verified)
    ).scalar()
    own = conn.execute(
        select(org_domains.c.org_pk).where(org_domains.c.domain == (domain or ""))
    ).scalar()
    if org_id is None:
        return None if own is None else int(own)
    pk = conn.execute(select(organizations.c.pk).where(organizations.c.org_id == org_id)).scalar()
    administers = pk is not None and conn.execute(
        select(org_admins.c.org_pk).where(
            org_admins.c.org_pk == pk, org_admins.c.user_pk == actor.user_pk
        )
    ).first() is not None
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
            with self.engine.begin() as conn:
                org_pk = _org_for(conn, actor, org_id)
                pk = conn.execute(
                    insert(projects).values(
                        project_id=project_id, number=identifiers.new_project_number(),
                        name=name, created_at=now, org_pk=org_pk,
                    ).returning(projects.c.pk)
                ).scalar_one()
                if isinstance(actor, Member):
                    conn.execute(insert(project_members).values(
                        project_pk=pk, user_pk=actor.user_pk, role="owner", created_at=now
                    ))
                self._audit(conn, actor, "project.created", org_pk=org_pk, project_pk=pk,
                            project_id=project_id)
                row = conn.execute(_VIEW.where(projects.c.pk == pk)).one()
        except IntegrityError:
            raise Conflict(f"the project {project_id} exists already",
                           field="project_id") from None
        return _view(row, "owner")

    def list(self, actor: Actor) -> list[ProjectView]:
        """All projects for the operator; an account's own projects otherwise."""
        with self.engine.connect() as conn:
            if isinstance(actor, Operator):
                rows = conn.execute(_VIEW.order_by(projects.c.project_id)).all()
                return [_view(row, "owner") for row in rows]
            rows = conn.execute(
                _VIEW.add_columns(project_members.c.role)
                .join(project_members, project_members.c.project_pk == projects.c.pk)
                .where(project_members.c.user_pk == actor.user_pk)
                .order_by(projects.c.project_id)
            ).all()
        return [_view(row, row.role) for row in rows]

    def get(self, actor: Actor, project_id: str) -> ProjectView:
        with self.engine.connect() as conn:
            ref = project_ref(conn, actor, project_id, "viewer")
            return _view(conn.execute(_VIEW.where(projects.c.pk == ref.pk)).one(), ref.role)

    def rename(self, actor: Actor, project_id: str, name: str) -> ProjectView:
        name = rules.text(name, "name")
        with self.engine.begin() as conn:
            ref = project_ref(conn, actor, project_id, "editor")
            conn.execute(update(projects).where(projects.c.pk == ref.pk).values(name=name))
            self._audit(conn, actor, "project.renamed", org_pk=ref.org_pk, project_pk=ref.pk,
                        name=name)
            return _view(conn.execute(_VIEW.where(projects.c.pk == ref.pk)).one(), ref.role)

    def delete(self, actor: Actor, project_id: str) -> None:
        """Delete the project with its clients, grants and tokens (owners only)."""
        with self.engine.begin() as conn:
            ref = project_ref(conn, actor, project_id, "owner")
            conn.execute(delete(projects).where(projects.c.pk == ref.pk))
            self._audit(conn, actor, "project.deleted", org_pk=ref.org_pk, project_pk=ref.pk,
                        project_id=project_id)

    # APIs (reference §1.22: a call to an API the project has not enabled is refused) ----
    def apis(self, actor: Actor, project_id: str) -> builtins.list[ApiView]:
        """Every known API, with whether the project enabled it."""
        with self.engine.connect() as conn:
            ref = project_ref(conn, actor, project_id, "viewer")
            enabled = set(conn.execute(
                select(project_apis.c.api).where(project_apis.c.project_pk == ref.pk)
            ).scalars())
        return [ApiView(a.name, a.title, a.service, a.name in enabled) for a in APIS.values()]

    def enable_apis(self, actor: Actor, project_id: str, apis: builtins.list[str]) -> None:
        unknown = [api for api in apis if api not in APIS]
        if unknown:
            raise ServiceError(
                f"unknown API(s): {', '.join(unknown)}; known: {', '.join(APIS)}", field="api"
            )
        with self.engine.begin() as conn:
            ref = project_ref(conn, actor, project_id, "editor")
            enabled = set(conn.execute(
                select(project_apis.c.api).where(project_apis.c.project_pk == ref.pk)
            ).scalars())
            for api in dict.fromkeys(apis):
                if api not in enabled:
                    conn.execute(insert(project_apis).values(
                        project_pk=ref.pk, api=api, enabled_at=self.clock.now()
                    ))
                    self._audit(conn, actor, "api.enabled", org_pk=ref.org_pk,
                                project_pk=ref.pk, api=api)

    def enable_api(self, actor: Actor, project_id: str, api: str) -> None:
        self.enable_apis(actor, project_id, [api])

    def disable_api(self, actor: Actor, project_id: str, api: str) -> None:
        if api not in APIS:
            raise ServiceError(f"unknown API: {api}; known: {', '.join(APIS)}", field="api")
        with self.engine.begin() as conn:
            ref = project_ref(conn, actor, project_id, "editor")
            gone = conn.execute(delete(project_apis).where(
                project_apis.c.project_pk == ref.pk, project_apis.c.api == api
            ))
            if gone.rowcount:
                self._audit(conn, actor, "api.disabled", org_pk=ref.org_pk, project_pk=ref.pk,
                            api=api)
