"""An organization's accounts, managed by its admins: create, disable, enable, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from accord.services import rules
from accord.services.actors import Actor, Member, org_pk
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.users import insert_user, taken, user_view
from accord.services.views import UserView
from accord.storage.schema import org_domains, users


def _domains(conn: Connection, pk: int) -> list[str]:
    return list(conn.execute(
        select(org_domains.c.domain).where(org_domains.c.org_pk == pk)
    ).scalars())


def org_user(conn: Connection, pk: int, org_id: str, email: str) -> Any:
    """The account `email` if it belongs to the organization, else NotFound."""
    row = conn.execute(
        select(users)
        .join(org_domains, org_domains.c.domain == users.c.domain)
        .where(org_domains.c.org_pk == pk, users.c.email == email)
    ).first()
    if row is None:
        raise NotFound(f"No user {email} in organization {org_id}", field="email")
    return row


class OrgUsersMixin(Service):
    def users(self, actor: Actor, org_id: str) -> list[UserView]:
        with self.engine.connect() as conn:
            pk = org_pk(conn, actor, org_id)
            rows = conn.execute(
                select(users)
                .join(org_domains, org_domains.c.domain == users.c.domain)
                .where(org_domains.c.org_pk == pk)
                .order_by(users.c.email)
            ).all()
        return [user_view(row) for row in rows]

    def create_user(
        self, actor: Actor, org_id: str, email: str, password: str, name: str = ""
    ) -> UserView:
        """A new account in one of the organization's domains."""
        email, password = rules.email(email), rules.password(password)
        try:
            with self.engine.begin() as conn:
                pk = org_pk(conn, actor, org_id)
                domains = _domains(conn, pk)
                if email.rsplit("@", 1)[1] not in domains:
                    raise ServiceError(
                        f"the email must be in a domain of {org_id}: {', '.join(domains)}",
                        field="email",
                    )
                user_pk, _ = insert_user(conn, email, password, name, None, self.clock.now())
                self._audit(conn, actor, "user.created", org_pk=pk, user_pk=user_pk,
                            email=email)
                row = conn.execute(select(users).where(users.c.pk == user_pk)).one()
        except IntegrityError:
            raise taken(email) from None
        return user_view(row)

    def _change_user(self, actor: Actor, org_id: str, email: str, action: str) -> None:
        email = rules.email(email)
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id)
            row = org_user(conn, pk, org_id, email)
            if isinstance(actor, Member) and row.pk == actor.user_pk and action != "enable":
                raise ServiceError(f"you cannot {action} your own account", field="email")
            where = users.c.pk == row.pk
            if action == "delete":  # their grants, tokens and memberships go with them
                conn.execute(delete(users).where(where))
            elif (row.disabled_at is None) == (action == "enable"):
                return  # already so
            else:
                at = self.clock.now() if action == "disable" else None
                conn.execute(update(users).where(where).values(disabled_at=at))
            self._audit(conn, actor, f"user.{action}d", org_pk=pk, user_pk=row.pk, email=email)

    def disable_user(self, actor: Actor, org_id: str, email: str) -> None:
        """No more sign-in, and the account's tokens stop working."""
        self._change_user(actor, org_id, email, "disable")

    def enable_user(self, actor: Actor, org_id: str, email: str) -> None:
        self._change_user(actor, org_id, email, "enable")

    def delete_user(self, actor: Actor, org_id: str, email: str) -> None:
        self._change_user(actor, org_id, email, "delete")
