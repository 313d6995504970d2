"""Client secrets: at most two enabled at once, so a secret can be rotated without
downtime (add a second, move the app to it, disable then delete the first). A secret
must be disabled before it is deleted, as in Google's console."""

from __future__ import annotations

import hmac
from typing import Any

from accord.google import identifiers
from accord.protocol.tokens import digest
from accord.services.actors import Actor
from accord.services.client_base import ClientBase
from accord.services.client_base import view as client_view
from accord.services.errors import NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.views import NewSecret, SecretView

MAX_ENABLED = 2


def _too_many() -> ServiceError:
    return ServiceError(
        f"a client can have at most {MAX_ENABLED} enabled secrets; "
        "disable or delete one first", field="secret",
    )


def _secret(tx: Rows, client_pk: int, secret_id: int | str) -> Any:
    try:
        pk = int(secret_id)
    except (TypeError, ValueError):
        pk = -1
    row = tx.secret(pk, client_pk)
    if row is None:
        raise NotFound(f"Secret {secret_id} not found", field="secret")
    return row


class SecretsMixin(ClientBase):
    def add_secret(self, actor: Actor, client_id: str) -> NewSecret:
        """A new enabled secret, shown only in the result; refused when two are enabled."""
        secret = identifiers.new_client_secret()
        with self.db.begin() as tx:
            row = self._live(tx, actor, client_id)
            if tx.enabled_secrets(row.pk) >= MAX_ENABLED:
                raise _too_many()
            pk = tx.insert_secret(row.pk, digest(secret), secret[-4:], self.clock.now())
            self._audit(tx, actor, "client.secret_added", org_pk=row.org_pk,
                        project_pk=row.project_pk, client_id=client_id, hint=secret[-4:])
        return NewSecret(int(pk), secret, secret[-4:])

    def secrets(self, actor: Actor, client_id: str) -> list[SecretView]:
        with self.db.connect() as tx:
            row = self._row(tx, actor, client_id, "viewer")
            rows = tx.secrets_of(row.pk)
        return [
            SecretView(r.pk, r.hint, r.created_at, r.disabled_at is None, r.disabled_at)
            for r in rows
        ]

    def _change_secret(self, actor: Actor, client_id: str, secret_id: int | str,
                       action: str) -> None:
        with self.db.begin() as tx:
            client = self._live(tx, actor, client_id)
            row = _secret(tx, client.pk, secret_id)
            if action == "disable" and row.disabled_at is None:
                tx.set_secret_disabled(row.pk, self.clock.now())
            elif action == "enable" and row.disabled_at is not None:
                if tx.enabled_secrets(client.pk) >= MAX_ENABLED:
                    raise _too_many()
                tx.set_secret_disabled(row.pk, None)
            elif action == "delete":
                if row.disabled_at is None:
                    raise ServiceError("disable the secret before deleting it", field="secret")
                tx.delete_secret(row.pk)
            else:
                return  # already so
            self._audit(tx, actor, f"client.secret_{action}d", org_pk=client.org_pk,
                        project_pk=client.project_pk, client_id=client_id, hint=row.hint)

    def disable_secret(self, actor: Actor, client_id: str, secret_id: int | str) -> None:
        """The secret stops authenticating the client at once."""
        self._change_secret(actor, client_id, secret_id, "disable")

    def enable_secret(self, actor: Actor, client_id: str, secret_id: int | str) -> None:
        self._change_secret(actor, client_id, secret_id, "enable")

    def delete_secret(self, actor: Actor, client_id: str, secret_id: int | str) -> None:
        self._change_secret(actor, client_id, secret_id, "delete")

    def client_secret_json(
        self, actor: Actor, client_id: str, issuer: str, secret: str | None = None
    ) -> dict[str, object]:
        """The downloadable ``client_secret.json`` (reference §1.12): ``web`` or
        ``installed``; ``client_secret`` only when `secret` is one of its enabled secrets."""
        with self.db.connect() as tx:
            row = self._row(tx, actor, client_id, "viewer")
            hashes = tx.enabled_secret_hashes(row.pk)
        known = secret is not None and any(
            hmac.compare_digest(digest(secret), h) for h in hashes
        )
        view = client_view(row)
        config = identifiers.client_secret_json(
            issuer, client_id, row.project_id, secret or "", list(view.redirect_uris)
        )
        body = dict(config["web"])  # type: ignore[call-overload]
        if not known:
            del body["client_secret"]
        if view.javascript_origins:
            body["javascript_origins"] = list(view.javascript_origins)
        return {"installed" if row.type == "desktop" else "web": body}
