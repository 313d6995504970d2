"""An organization's accounts, managed by its admins: create, disable, enable, delete."""

from __future__ import annotations

from typing import Any

from accord.services import rules
from accord.services.actors import Actor, org_pk
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.users import change_state, insert_user, taken, user_view
from accord.services.views import UserView
from accord.storage.database import Duplicate


def org_user(tx: Rows, pk: int, org_id: str, email: str) -> Any:
    """The account `email` if it belongs to the organization, else NotFound."""
    row = tx.org_user(pk, email)
    if row is None:
        raise NotFound(f"No user {email} in organization {org_id}", field="email")
    return row


class OrgUsersMixin(Service):
    def users(self, actor: Actor, org_id: str) -> list[UserView]:
        with self.db.connect() as tx:
            pk = org_pk(tx, actor, org_id)
            rows = tx.org_users(pk)
        return [user_view(row) for row in rows]

    def create_user(
        self, actor: Actor, org_id: str, email: str, password: str, name: str = ""
    ) -> UserView:
        """A new account in one of the organization's domains."""
        email, password = rules.email(email), rules.password(password)
        try:
            with self.db.begin() as tx:
                pk = org_pk(tx, actor, org_id)
                domains = tx.domains_unordered(pk)
                if email.rsplit("@", 1)[1] not in domains:
                    raise ServiceError(
                        f"the email must be in a domain of {org_id}: {', '.join(domains)}",
                        field="email",
                    )
                user_pk, _ = insert_user(tx, email, password, name, None, self.clock.now())
                self._audit(tx, actor, "user.created", org_pk=pk, user_pk=user_pk,
                            email=email)
                row = tx.user_row(user_pk)
        except Duplicate:
            raise taken(email) from None
        return user_view(row)

    def _change_user(self, actor: Actor, org_id: str, email: str, action: str) -> None:
        email = rules.email(email)
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            row = org_user(tx, pk, org_id, email)
            if not change_state(tx, actor, row, action, self.clock.now()):
                return  # already so
            self._audit(tx, actor, f"user.{action}d", org_pk=pk, user_pk=row.pk, email=email)

    def disable_user(self, actor: Actor, org_id: str, email: str) -> None:
        """No more sign-in, and the account's tokens stop working."""
        self._change_user(actor, org_id, email, "disable")

    def enable_user(self, actor: Actor, org_id: str, email: str) -> None:
        self._change_user(actor, org_id, email, "enable")

    def delete_user(self, actor: Actor, org_id: str, email: str) -> None:
        self._change_user(actor, org_id, email, "delete")
