"""Service accounts (Google IAM, reference §1.14-1.19): create, list, describe, disable,
enable, delete and undelete (for 30 days; then :func:`purge_deleted_service_accounts`
removes them), with their keys (:mod:`sa_keys`) and IAM policies (:mod:`sa_policy`).

Project owners and editors manage accounts and keys, viewers list and describe them, the
operator does everything; owners change IAM policies. An account is named by its email or
its 21-digit unique id. Deleting one kills its tokens at once; its email may be taken
again by a new account (with a new unique id), and then it cannot be undeleted.
"""

from __future__ import annotations

import builtins
from typing import Any

from accord.google import iam, identifiers
from accord.services import rules
from accord.services.actors import Actor, project_ref, service_account_row
from accord.services.errors import Conflict, NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.sa_keys import KeysMixin
from accord.services.sa_policy import PolicyMixin
from accord.services.sa_views import ServiceAccountView
from accord.storage.database import Handle, database

UNDELETE_WINDOW = iam.UNDELETE_WINDOW


def account_view(row: Any) -> ServiceAccountView:
    return ServiceAccountView(
        project_id=row.project_id, email=row.email, unique_id=row.unique_id,
        display_name=row.display_name, description=row.description,
        disabled=row.disabled_at is not None, created_at=row.created_at,
        deleted_at=row.deleted_at,
    )


def account_id(value: str) -> str:
    value = value.strip()
    if not iam.ACCOUNT_ID.match(value):
        raise ServiceError(
            f"the account ID {value!r} must have 6 to 30 characters: lower-case letters, "
            "digits and hyphens, starting with a letter and not ending with a hyphen",
            field="account_id",
        )
    return value


def purge_deleted_service_accounts(db: Handle, now: int) -> int:
    """Remove the accounts deleted more than 30 days ago and expired system-managed keys
    (the hourly purge); how many accounts."""
    return database(db).purge_deleted_service_accounts(now - UNDELETE_WINDOW, now)


class ServiceAccounts(KeysMixin, PolicyMixin):
    def create(
        self,
        actor: Actor,
        project_id: str,
        account: str,
        display_name: str = "",
        description: str = "",
    ) -> ServiceAccountView:
        """A new account ``ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com``."""
        account = account_id(account)
        display_name = rules.text(display_name, "display_name", most=100, least=0)
        description = rules.text(description, "description", most=256, least=0)
        now = self.clock.now()
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            tx.lock_project(ref.pk)  # two creates of one email: one wins
            email = iam.email(account, project_id)
            if tx.live_account(email) is not None:
                raise Conflict(
                    f"Service account {account} already exists within project "
                    f"projects/{project_id}.", field="account_id")
            unique_id = identifiers.new_sub()
            while tx.account_by_unique_id(unique_id) is not None:
                unique_id = identifiers.new_sub()
            pk = tx.insert_account(
                project_pk=ref.pk, account_id=account, email=email, unique_id=unique_id,
                display_name=display_name, description=description, created_at=now,
            )
            self._audit(tx, actor, "service_account.created", org_pk=ref.org_pk,
                        project_pk=ref.pk, client_id=unique_id, service_account=email)
            return account_view(tx.account_by_pk(pk))

    def list(self, actor: Actor, project_id: str, show_deleted: bool = False
             ) -> builtins.list[ServiceAccountView]:
        """The project's accounts (the deleted ones still undeletable too, with
        ``show_deleted``: the console), oldest first."""
        since = self.clock.now() - UNDELETE_WINDOW if show_deleted else None
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            return [account_view(r) for r in tx.accounts_of(ref.pk, since)]

    def get(self, actor: Actor, name: str, deleted_ok: bool = False) -> ServiceAccountView:
        with self.db.connect() as tx:
            return account_view(service_account_row(tx, actor, name, "viewer", deleted_ok))

    def update(
        self,
        actor: Actor,
        name: str,
        display_name: str | None = None,
        description: str | None = None,
    ) -> ServiceAccountView:
        values: dict[str, str] = {}
        if display_name is not None:
            values["display_name"] = rules.text(display_name, "display_name", 100, 0)
        if description is not None:
            values["description"] = rules.text(description, "description", 256, 0)
        with self.db.begin() as tx:
            row = service_account_row(tx, actor, name, "editor")
            if values:
                tx.update_account(row.pk, values)
                self._event(tx, actor, row, "service_account.updated",
                            fields=",".join(sorted(values)))
            return account_view(tx.account_by_pk(row.pk))

    def disable(self, actor: Actor, name: str) -> ServiceAccountView:
        """Its tokens stop working at once and it gets no new ones until enabled."""
        return self._set(actor, name, "disabled_at", self.clock.now(), "disabled")

    def enable(self, actor: Actor, name: str) -> ServiceAccountView:
        return self._set(actor, name, "disabled_at", None, "enabled")

    def delete(self, actor: Actor, name: str) -> ServiceAccountView:
        """Its tokens and keys stop working at once; undeletable for 30 days."""
        return self._set(actor, name, "deleted_at", self.clock.now(), "deleted")

    def undelete(self, actor: Actor, name: str) -> ServiceAccountView:
        """Bring back an account deleted less than 30 days ago (name it by its unique id
        when its email has been taken by a new account since)."""
        now = self.clock.now()
        with self.db.begin() as tx:
            row = service_account_row(tx, actor, name, "editor", deleted_ok=True)
            if row.deleted_at is None:
                return account_view(row)
            if now - row.deleted_at > UNDELETE_WINDOW:
                raise NotFound(
                    f"Service account {row.email} was deleted more than 30 days ago "
                    "and can no longer be undeleted")
            tx.lock_project(row.project_pk)
            taken = tx.live_account(row.email)
            if taken is not None:
                raise Conflict(
                    f"Service account {row.email} cannot be undeleted: a new account "
                    f"(unique ID {taken.unique_id}) has taken its email since")
            tx.update_account(row.pk, {"deleted_at": None})
            self._event(tx, actor, row, "service_account.undeleted")
            return account_view(tx.account_by_pk(row.pk))

    def _set(self, actor: Actor, name: str, column: str, value: int | None,
             what: str) -> ServiceAccountView:
        with self.db.begin() as tx:
            row = service_account_row(tx, actor, name, "editor")
            if (getattr(row, column) is None) != (value is None):
                tx.update_account(row.pk, {column: value})
                self._event(tx, actor, row, f"service_account.{what}")
            return account_view(tx.account_by_pk(row.pk))

    def _event(self, tx: Rows, actor: Actor, row: Any, event: str, fields: str = "") -> None:
        if fields:
            self._audit(tx, actor, event, org_pk=row.org_pk, project_pk=row.project_pk,
                        client_id=row.unique_id, service_account=row.email, fields=fields)
        else:
            self._audit(tx, actor, event, org_pk=row.org_pk, project_pk=row.project_pk,
                        client_id=row.unique_id, service_account=row.email)
