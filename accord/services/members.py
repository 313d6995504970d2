"""Project members and their roles (owners manage them; the last owner stays)."""

from __future__ import annotations

from accord.services import rules
from accord.services.actors import ROLES, Actor, ProjectRef, project_ref
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.views import MemberView


def _member(tx: Rows, ref: ProjectRef, email: str) -> tuple[int, str | None]:
    """(user pk, current role or None); NotFound for an unknown account."""
    row = tx.account_and_role(ref.pk, email)
    if row is None:
        raise NotFound(f"No account with the email {email}", field="email")
    return int(row.pk), row.role


class MembersMixin(Service):
    def members(self, actor: Actor, project_id: str) -> list[MemberView]:
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            rows = tx.members(ref.pk)
        return [MemberView(r.email, r.name, r.role, r.created_at) for r in rows]

    def add_member(self, actor: Actor, project_id: str, email: str, role: str) -> None:
        """Add an account, or change a member's role (owners only)."""
        email = rules.email(email)
        rules.choice(role, ROLES, "role")
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "owner")
            user_pk, current = _member(tx, ref, email)
            if current == role:
                return
            if current is None:
                tx.insert_member(ref.pk, user_pk, role, self.clock.now())
            else:
                if current == "owner" and tx.owner_count(ref.pk) == 1:
                    raise ServiceError("a project needs at least one owner", field="role")
                tx.set_role(ref.pk, user_pk, role)
            self._audit(tx, actor, "member.added", org_pk=ref.org_pk, project_pk=ref.pk,
                        user_pk=user_pk, email=email, role=role)

    def remove_member(self, actor: Actor, project_id: str, email: str) -> None:
        email = rules.email(email)
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "owner")
            user_pk, current = _member(tx, ref, email)
            if current is None:
                raise NotFound(f"{email} is not a member of {project_id}", field="email")
            if current == "owner" and tx.owner_count(ref.pk) == 1:
                raise ServiceError("the last owner of a project cannot be removed",
                                   field="email")
            tx.delete_member(ref.pk, user_pk)
            self._audit(tx, actor, "member.removed", org_pk=ref.org_pk, project_pk=ref.pk,
                        user_pk=user_pk, email=email)
