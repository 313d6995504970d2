"""Domain-wide delegation (reference §1.16): an organization's admin authorizes a client
id (a service account's 21-digit unique id, the key file's ``client_id``) for scopes; that
account's assertions may then name a user of the organization as ``sub``. Adding a client
id again replaces its scopes, as Google's Admin console does. Scopes are kept in their
canonical names (``email`` is the URL of ``userinfo.email``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from accord.google import iam
from accord.google import scopes as google_scopes
from accord.services.actors import Actor, org_pk
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.sa_views import DelegationView


def client_id(value: str) -> str:
    value = value.strip()
    if not iam.UNIQUE_ID.match(value):
        raise ServiceError(
            f"the client ID {value!r} must be a service account's 21-digit unique ID "
            "(its key file's client_id)", field="client_id")
    return value


def scope_list(values: Iterable[str]) -> tuple[str, ...]:
    """Canonical, sorted, once each; each a scope URL or a sign-in scope name."""
    names: list[str] = []
    for value in values:
        for name in value.replace(",", " ").split():
            url = urlsplit(name)
            if name not in ("openid", "email", "profile") and (
                url.scheme != "https" or not url.hostname or len(name) > 2048
            ):
                raise ServiceError(f"not a scope: {name!r} (a scope is a URL such as "
                                   f"{google_scopes.AUTH}drive)", field="scopes")
            names.append(name)
    if not names:
        raise ServiceError("give at least one scope", field="scopes")
    return google_scopes.normalize(names)


def _view(tx: Rows, row: Any) -> DelegationView:
    return DelegationView(row.client_id, tuple(row.scopes.split()), row.created_at,
                          row.updated_at, str(tx.live_unique_id(row.client_id) or ""))


class Delegations(Service):
    def list(self, actor: Actor, org_id: str) -> list[DelegationView]:
        with self.db.connect() as tx:
            return [_view(tx, r) for r in tx.delegations(org_pk(tx, actor, org_id))]

    def add(
        self, actor: Actor, org_id: str, client: str, scopes: Iterable[str]
    ) -> DelegationView:
        """Authorize the client id for exactly these scopes."""
        client, wanted = client_id(client), " ".join(scope_list(scopes))
        now = self.clock.now()
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            row = tx.delegation(pk, client)
            if row is None:
                tx.insert_delegation(pk, client, wanted, now)
            elif row.scopes != wanted:
                tx.update_delegation(row.pk, wanted, now)
            self._audit(tx, actor, "org.delegation_set", org_pk=pk, client_id=client,
                        scopes=wanted)
            return _view(tx, tx.delegation(pk, client))

    def remove(self, actor: Actor, org_id: str, client: str) -> None:
        client = client.strip()
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            if not tx.delete_delegation(pk, client):
                raise NotFound(f"{client} has no domain-wide delegation in {org_id}",
                               field="client_id")
            self._audit(tx, actor, "org.delegation_removed", org_pk=pk, client_id=client)
