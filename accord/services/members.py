"""Project members and their roles (owners manage them; the last owner stays)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select, update

from accord.services import rules
from accord.services.actors import ROLES, Actor, ProjectRef, project_ref
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.views import MemberView
from accord.storage.schema import project_members, users

_M = project_members


def _owners(conn: Connection, project_pk: int) -> int:
    return int(conn.execute(
        select(func.count()).where(_M.c.project_pk == project_pk, _M.c.role == "owner")
    ).scalar_one())


def _member(conn: Connection, ref: ProjectRef, email: str) -> tuple[int, str | None]:
    """(user pk, current role or None); NotFound for an unknown account."""
    row = conn.execute(
        select(users.c.pk, _M.c.role)
        .outerjoin(_M, (_M.c.user_pk == users.c.pk) & (_M.c.project_pk == ref.pk))
        .where(users.c.email == email)
    ).first()
    if row is None:
        raise NotFound(f"No account with the email {email}", field="email")
    return int(row.pk), row.role


class MembersMixin(Service):
    def members(self, actor: Actor, project_id: str) -> list[MemberView]:
        with self.engine.connect() as conn:
            ref = project_ref(conn, actor, project_id, "viewer")
            rows = conn.execute(
                select(users.c.email, users.c.name, _M.c.role, _M.c.created_at)
                .join(users, users.c.pk == _M.c.user_pk)
                .where(_M.c.project_pk == ref.pk)
                .order_by(users.c.email)
            ).all()
        return [MemberView(r.email, r.name, r.role, r.created_at) for r in rows]

    def add_member(self, actor: Actor, project_id: str, email: str, role: str) -> None:
        """Add an account, or change a member's role (owners only)."""
        email = rules.email(email)
        rules.choice(role, ROLES, "role")
        with self.engine.begin() as conn:
            ref = project_ref(conn, actor, project_id, "owner")
            user_pk, current = _member(conn, ref, email)
            if current == role:
                return
            if current is None:
                conn.execute(insert(_M).values(
                    project_pk=ref.pk, user_pk=user_pk, role=role, created_at=self.clock.now()
                ))
            else:
                if current == "owner" and _owners(conn, ref.pk) == 1:
                    raise ServiceError("a project needs at least one owner", field="role")
                conn.execute(update(_M).where(
                    _M.c.project_pk == ref.pk, _M.c.user_pk == user_pk
                ).values(role=role))
            self._audit(conn, actor, "member.added", org_pk=ref.org_pk, project_pk=ref.pk,
                        user_pk=user_pk, email=email, role=role)

    def remove_member(self, actor: Actor, project_id: str, email: str) -> None:
        email = rules.email(email)
        with self.engine.begin() as conn:
            ref = project_ref(conn, actor, project_id, "owner")
            user_pk, current = _member(conn, ref, email)
            if current is None:
                raise NotFound(f"{email} is not a member of {project_id}", field="email")
            if current == "owner" and _owners(conn, ref.pk) == 1:
                raise ServiceError("the last owner of a project cannot be removed",
                                   field="email")
            conn.execute(delete(_M).where(_M.c.project_pk == ref.pk, _M.c.user_pk == user_pk))
            self._audit(conn, actor, "member.removed", org_pk=ref.org_pk, project_pk=ref.pk,
                        user_pk=user_pk, email=email)
