"""OAuth clients: create, edit, disable, delete and restore (reference §1.1, §1.11, §1.12).

A web client registers redirect URIs and JavaScript origins under Google's rules; a
desktop (installed) client registers none and accepts any loopback port, stored as
``["http://localhost"]`` like its downloaded ``client_secret.json``. A deleted client
can be restored for 30 days, then :func:`purge_deleted_clients` removes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from accord.google import identifiers
from accord.protocol.tokens import digest
from accord.services import rules
from accord.services.actors import Actor, client_row, project_ref
from accord.services.client_base import RESTORE_WINDOW, ClientBase, view
from accord.services.errors import NotFound, ServiceError
from accord.services.secrets import SecretsMixin
from accord.services.views import ClientView, NewClient
from accord.storage.database import Handle, database

CLIENT_TYPES = ("web", "desktop")
DESKTOP_REDIRECT_URIS = ["http://localhost"]  # the installed client_secret.json (§1.12)


def _uris(
    client_type: str, redirect_uris: Iterable[str] | None, origins: Iterable[str] | None
) -> tuple[list[str] | None, list[str] | None]:
    """Checked (redirect URIs, origins); None leaves them as they are."""
    if client_type == "desktop":
        if any(u.strip() for u in redirect_uris or ()) or any(o.strip() for o in origins or ()):
            raise ServiceError(
                "a desktop client registers no redirect URIs or JavaScript origins: "
                "it accepts http://localhost on any port",
                field="redirect_uris" if redirect_uris else "javascript_origins",
            )
        return None, None
    return (
        None if redirect_uris is None else rules.redirect_uris(redirect_uris, client_type),
        None if origins is None else rules.javascript_origins(origins),
    )


def purge_deleted_clients(db: Handle, now: int) -> int:
    """Remove the clients deleted more than 30 days ago (the hourly purge); how many."""
    return database(db).purge_deleted_clients(now - RESTORE_WINDOW)


class Clients(SecretsMixin, ClientBase):
    def create(
        self,
        actor: Actor,
        project_id: str,
        name: str,
        type: str = "web",
        redirect_uris: Iterable[str] = (),
        javascript_origins: Iterable[str] = (),
    ) -> NewClient:
        """A new client and its first secret (shown only in the result)."""
        rules.choice(type, CLIENT_TYPES, "type")
        name = rules.text(name, "name")
        uris, origins = _uris(type, list(redirect_uris), list(javascript_origins))
        uris = DESKTOP_REDIRECT_URIS if uris is None else uris
        secret = identifiers.new_client_secret()
        now = self.clock.now()
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            client_id = identifiers.new_client_id(tx.project_number(ref.pk))
            client_pk = tx.insert_client(
                client_id=client_id, project_pk=ref.pk, name=name, type=type,
                redirect_uris=json.dumps(uris), javascript_origins=json.dumps(origins or []),
                created_at=now,
            )
            tx.insert_secret(client_pk, digest(secret), secret[-4:], now)
            self._audit(tx, actor, "client.created", org_pk=ref.org_pk, project_pk=ref.pk,
                        client_id=client_id, type=type)
        return NewClient(client_id, secret, project_id, uris, type, origins or [])

    def list(self, actor: Actor, project_id: str) -> list[ClientView]:
        """The project's clients, deleted ones included while they can be restored."""
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            rows = tx.clients_of(ref.pk)
        oldest = self.clock.now() - RESTORE_WINDOW
        return [view(r) for r in rows if r.deleted_at is None or r.deleted_at >= oldest]

    def get(self, actor: Actor, client_id: str) -> ClientView:
        with self.db.connect() as tx:
            return view(self._row(tx, actor, client_id, "viewer"))

    def update(
        self,
        actor: Actor,
        client_id: str,
        name: str | None = None,
        redirect_uris: Iterable[str] | None = None,
        javascript_origins: Iterable[str] | None = None,
    ) -> ClientView:
        """Change the fields given (None leaves one as it is)."""
        with self.db.begin() as tx:
            row = self._live(tx, actor, client_id)
            uris, origins = _uris(
                row.type,
                None if redirect_uris is None else list(redirect_uris),
                None if javascript_origins is None else list(javascript_origins),
            )
            values: dict[str, object] = {}
            if name is not None:
                values["name"] = rules.text(name, "name")
            if uris is not None:
                values["redirect_uris"] = json.dumps(uris)
            if origins is not None:
                values["javascript_origins"] = json.dumps(origins)
            if values:
                tx.update_client(row.pk, values)
                self._audit(tx, actor, "client.updated", org_pk=row.org_pk,
                            project_pk=row.project_pk, client_id=client_id,
                            fields=",".join(sorted(values)))
            return self._reload(tx, row.pk)

    def _set(self, actor: Actor, client_id: str, column: str, value: int | None,
             event: str) -> None:
        with self.db.begin() as tx:
            row = self._live(tx, actor, client_id)
            if (getattr(row, column) is None) == (value is None):
                return  # already so
            tx.update_client(row.pk, {column: value})
            self._audit(tx, actor, event, org_pk=row.org_pk, project_pk=row.project_pk,
                        client_id=client_id)

    def disable(self, actor: Actor, client_id: str) -> None:
        """Its tokens stop working and sign-in answers disabled_client (reference §1.1)."""
        self._set(actor, client_id, "disabled_at", self.clock.now(), "client.disabled")

    def enable(self, actor: Actor, client_id: str) -> None:
        self._set(actor, client_id, "disabled_at", None, "client.enabled")

    def delete(self, actor: Actor, client_id: str) -> None:
        """deleted_client from now on; restorable for 30 days."""
        self._set(actor, client_id, "deleted_at", self.clock.now(), "client.deleted")

    def restore(self, actor: Actor, client_id: str) -> None:
        now = self.clock.now()
        with self.db.begin() as tx:
            row = client_row(tx, actor, client_id, "editor")
            if row.deleted_at is None:
                return
            if now - row.deleted_at > RESTORE_WINDOW:
                raise NotFound(
                    f"Client {client_id} was deleted more than 30 days ago "
                    "and can no longer be restored"
                )
            tx.update_client(row.pk, {"deleted_at": None})
            self._audit(tx, actor, "client.restored", org_pk=row.org_pk,
                        project_pk=row.project_pk, client_id=client_id)
